/**
 * Display-name rules: nobody may pass for staff.
 *
 * Scammers on wallet forums pose as "Support", "Official Admin", "客服" or as a known moderator with one
 * letter swapped ("a1ice" for "alice", "rnodjane" for "modjane"). `checkDisplayName` refuses
 *  - names containing a reserved word, after normalisation (see below), and
 *  - names whose skeleton equals a staff member's skeleton, or does after removing digits ("alice2"), or
 *    — for staff names of 4+ letters — is one edit from it (a letter added/dropped/changed, two swapped).
 * Callers pass the CURRENT staff names, excluding the user's own name (a moderator may keep theirs).
 *
 * Normalisation ("skeleton"), in order:
 *  1. NFKC (full-width "ａｄｍｉｎ" → "admin", ligatures, circled/styled letters), invisible characters and
 *     combining marks removed ("a\u200Bdmin", "ádmin").
 *  2. Unicode confusables → Latin, with the `confusables` package (Cyrillic "ѕ"/"а", Greek "Α", Cherokee
 *     "Ꭺ", mathematical letters…). CJK, kana and Hangul are kept as they are: the package maps a few
 *     Han characters to Latin look-alikes (山→W), which would garble Chinese names.
 *  3. Lower case; "ß" → "ss".
 *  4. Our extra map for look-alikes the package leaves alone (leet and font confusions):
 *     0→o, 1→i, 3→e, 4→a, 5→s, 7→t, @→a, $→s, !→i, |→i, and l→i (I/l/1/| are one glyph in many
 *     fonts), then the sequences rn→m and vv→w. 2/6/8/9 are NOT mapped: they are common in ordinary
 *     names ("bob_88") and rarely used to fake letters.
 *  5. Separators removed: whitespace _ - . · ' " , : ; / \ and brackets ("a.d.m.i.n", "ad_min").
 * The skeleton is only ever compared with other skeletons, so "alice" → "aiice" is fine.
 *
 * Reserved words — decisions:
 *  - STRONG words are refused anywhere inside the name ("cryptosupport", "TheRealAdmin"):
 *    admin(istrator), support, official/oficial, moderator, helpdesk, helpcenter, customerservice,
 *    customercare, servicedesk, csagent, quorum, bitpie, and 客服 官方 管理员 管理員 版主 站长 站長 工作人员
 *    工作人員 技术支持 技術支援 比特派 (客服中心 is covered by 客服), and their pinyin: kefu, guanfang
 *    (guanfangkefu), guanliyuan, banzhu, zhanzhang, gongzuorenyuan, jishuzhichi. Also checked with the
 *    digits removed ("ke2fu", "s8upport"). A strong word spanning several parts of a
 *    name must start and end on part boundaries: "ad_min" and "s-upport" are refused, "chad_mint" is
 *    not. "badminton" is a known innocent carrier of "admin" and is allowed. "unofficial…" and
 *    "…supporter" ARE refused: on a wallet's support forum they are impersonation material.
 *  - WEAK words are refused only as whole parts of the name (split at separators, digits and camelCase
 *    humps, or spelled letter by letter "m.o.d"): mod, mods, staff, team, service, security, system,
 *    sysop, root, agent, and the abbreviations kf (客服), gf (官方), cs, csr, gm, gly (管理员). As substrings they are everywhere in ordinary names: "modern", "commodore", "steam",
 *    "staffan", "servicio" (Spanish word and surname — not "service"), "teamo". So "mod_jane",
 *    "JaneMod", "Security-Team", "m0d" are refused, "modestmouse" and "teamwork" are allowed, and
 *    "dream_team" is refused (acceptable collateral: the word "team" next to a name is what fake
 *    "support teams" use).
 *  - Digits do not make a different name: "alice2" imitates staff "alice" as well as "a1ice" does.
 */
import { clean, confusablesMap } from "confusables";

const STRONG_WORDS = [
  "admin",
  "administrator",
  "support",
  "official",
  "oficial",
  "moderator",
  "helpdesk",
  "helpcenter",
  "customerservice",
  "customercare",
  "servicedesk",
  "csagent",
  // romanised and pinyin forms of the Chinese staff words: 客服, 官方, 管理员, 版主, 站长, 工作人员, 技术支持
  "kefu",
  "guanfang",
  "guanliyuan",
  "banzhu",
  "zhanzhang",
  "gongzuorenyuan",
  "jishuzhichi",
  "quorum",
  "bitpie",
  "客服",
  "客服中心",
  "官方",
  "管理员",
  "管理員",
  "版主",
  "站长",
  "站長",
  "工作人员",
  "工作人員",
  "技术支持",
  "技術支援",
  "比特派",
] as const;
const WEAK_WORDS = [
  "mod",
  "mods",
  "staff",
  "team",
  "service",
  "security",
  "system",
  "sysop",
  "root",
  // common abbreviations: kf (客服), gf (官方), cs / csr (customer service), gm, gly (管理员)
  "kf",
  "gf",
  "cs",
  "csr",
  "gm",
  "gly",
  "agent",
] as const;
/** Ordinary words that contain a strong word. */
const BENIGN_CARRIERS = ["badminton"];

export const RESERVED_NAME_WORDS: readonly string[] = [...STRONG_WORDS, ...WEAK_WORDS];

export type NameProblem = { code: "reserved"; word: string } | { code: "confusable"; with: string };

// ───────────────────────────── normalisation ─────────────────────────────

const KEEP_SCRIPT_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const SEPARATOR_RE = /[\s_\-.·•・'’‘"“”`,，。、:：;；/\\()[\]{}（）【】<>《》~*^+=]+/u;
const LEET: Readonly<Record<string, string>> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "i",
  l: "i",
};

/** Steps 1–3 except lower-casing (camelCase humps are still needed for splitting). */
function unconfuse(name: string): string {
  let out = "";
  for (const ch of clean(name.normalize("NFKC")).replace(/\p{M}/gu, "")) {
    if (ch === "ß" || ch === "ẞ") out += "ss";
    else if (KEEP_SCRIPT_RE.test(ch)) out += ch;
    else out += confusablesMap.get(ch) ?? ch;
  }
  return out;
}

/** Step 4 on one separator-free part. */
function skeletonPart(part: string): string {
  let out = "";
  for (const ch of part.toLowerCase()) out += LEET[ch] ?? ch;
  return out.replace(/rn/g, "m").replace(/vv/g, "w");
}

/** The skeleton used for comparisons (exported for tests and for a DB column later). */
export function nameSkeleton(name: string): string {
  return skeletonPart(unconfuse(name).split(SEPARATOR_RE).join(""));
}

// Reserved words are stored as skeletons too ("official" → "officiai").
const STRONG_SKELETONS = STRONG_WORDS.map((w) => ({ word: w, skel: nameSkeleton(w) }));
const WEAK_SKELETONS = WEAK_WORDS.map((w) => ({ word: w, skel: nameSkeleton(w) }));
const BENIGN_SKELETONS = BENIGN_CARRIERS.map(nameSkeleton);

/** Parts of a name: split at separators; with `fine`, also at digits and camelCase humps. */
function parts(unconfused: string, fine: boolean): string[] {
  let s = unconfused;
  if (fine) s = s.replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2").replace(/\p{Nd}+/gu, " ");
  return s.split(SEPARATOR_RE).filter(Boolean).map(skeletonPart).filter(Boolean);
}

function findStrong(ps: string[]): string | null {
  const bounds: number[] = [0];
  for (const p of ps) bounds.push(bounds[bounds.length - 1] + p.length);
  const joined = ps.join("");
  for (const { word, skel } of STRONG_SKELETONS) {
    for (let at = joined.indexOf(skel); at >= 0; at = joined.indexOf(skel, at + 1)) {
      const end = at + skel.length;
      const first = bounds.findIndex((b, i) => b <= at && at < bounds[i + 1]);
      const inOnePart = end <= bounds[first + 1];
      if (inOnePart) {
        if (BENIGN_SKELETONS.some((b) => ps[first].includes(b))) continue;
        return word;
      }
      if (bounds.includes(at) && bounds.includes(end)) return word; // "ad_min", "s-upport"
    }
  }
  return null;
}

function findWeak(ps: string[]): string | null {
  // Any run of consecutive whole parts: "mod", "m"+"o"+"d".
  for (let i = 0; i < ps.length; i++) {
    let acc = "";
    for (let j = i; j < ps.length && acc.length < 12; j++) {
      acc += ps[j];
      const hit = WEAK_SKELETONS.find((w) => w.skel === acc);
      if (hit) return hit.word;
    }
  }
  return null;
}

/**
 * Refuses names that contain a reserved word (after confusable/leet normalisation: "supp0rt", "ѕupport"
 * with Cyrillic, full-width "ａｄｍｉｎ", "a.d.m.i.n", "ad_min", "rn"→"m") or that are confusable with an
 * existing staff name. Returns null when the name is fine.
 */
export function checkDisplayName(name: string, staffNames: readonly string[]): NameProblem | null {
  const u = unconfuse(name);
  const coarse = parts(u, false);
  // Digits stripped as well: "s2upport", "ke2fu" ("1", "0"… are read as letters by the skeleton).
  const strong = findStrong(coarse) ?? findStrong(parts(u.replace(/\p{Nd}+/gu, ""), false));
  if (strong) return { code: "reserved", word: strong };
  // Weak words: digits as separators ("Mod1", "team_2024"), and digits as letters ("m0d", "T3am").
  const humps = u.replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2");
  const weak = findWeak(parts(u, true)) ?? findWeak(parts(humps, false));
  if (weak) return { code: "reserved", word: weak };

  const skel = nameSkeleton(name);
  const bare = nameSkeleton(name.replace(/\p{Nd}+/gu, "")); // "alice_2024" (the skeleton reads 4 as a)
  if (skel)
    for (const staff of staffNames) {
      const s = nameSkeleton(staff);
      // The same skeleton, the same with digits added ("alice2"), or — for names of 4+ letters — one
      // edit away: a letter added, dropped or changed, or two neighbours swapped ("ailce").
      if (
        s === skel ||
        s === bare ||
        (s.length >= 4 && (withinOneEdit(s, skel) || (bare !== "" && withinOneEdit(s, bare))))
      )
        return { code: "confusable", with: staff };
    }
  return null;
}

/** Optimal-string-alignment distance ≤ 1 (insertion, deletion, substitution, adjacent swap). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  const rest = (p: number, q: number) => x.slice(p).join("") === y.slice(q).join("");
  if (x.length === y.length)
    return rest(i + 1, i + 1) || (x[i] === y[i + 1] && x[i + 1] === y[i] && rest(i + 2, i + 2));
  return x.length > y.length ? rest(i + 1, i) : rest(i, i + 1);
}

/* A post's opening dressed as a staff message ("**[Staff] 官方客服**", "## Official support:") */

const OPENING_LENGTH = 120;
/** Markdown decoration a person may wrap the opening in: headings, quotes, emphasis, list markers. */
const OPENING_DECORATION_RE = /^(?:[\s#>*_~`|!-]+|\d{1,3}[.)]\s+|[+]\s+)/u;
const BRACKETED_RE = /^[[【［(（「『<《]\s*(?:staff|official|admin|administrator|moderator|mod|support|team|官方|客服|管理员|工作人员|版主)\s*[\]】］)）」』>》]/u;
// Chinese staff words must stand alone ("官方客服：", "【客服】", "管理员通知 "): "官方客服是不是…" is a question.
const LEADING_ZH_RE = /^(?:官方|客服|管理员|工作人员|版主)+(?:提醒|通知|公告|中心|团队|小组|人员)?(?:$|[\s:：,，.。!！|｜\-—*_#~])/u;
const LEADING_EN_RE = /^(?:official\s+(?:support|team|staff|admin|customer\s+service)|(?:quorum|wallet)\s+(?:support|staff|team|admin|official)|customer\s+support|support\s+team|staff\s*[:：|-]|admin(?:istrator)?\s*[:：|-]|moderator\s*[:：|-])/u;

/**
 * Whether a post's Markdown source opens like a message from staff: "[Staff]", "[官方]", "官方", "客服",
 * "管理员", "Official support", "Quorum support" at the very start, bold, quoted or in a heading, with
 * look-alike letters folded (NFKC, confusables). Readers of such a post by a non-staff author are told
 * it is not from staff; the real badge is drawn by the app beside the name.
 */
export function imitatesStaff(markdown: string | null | undefined): boolean {
  if (!markdown) return false;
  let s = unconfuse(markdown.slice(0, OPENING_LENGTH * 2)).toLowerCase();
  for (let i = 0; i < 8; i++) {
    const next = s.replace(OPENING_DECORATION_RE, "");
    if (next === s) break;
    s = next;
  }
  s = s.slice(0, OPENING_LENGTH);
  if (BRACKETED_RE.test(s)) return true;
  // Brackets and decoration once more: "[**官方**]", "【客服】".
  const bare = s.replace(/^[[【［(（「『<《*_\s]+/u, "");
  return LEADING_ZH_RE.test(bare) || LEADING_EN_RE.test(bare);
}
