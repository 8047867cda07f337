/**
 * Display-name rules: nobody may pass for staff.
 *
 * Scammers on wallet forums pose as "Support", "Official Admin", "客服" or as a known moderator with one
 * letter swapped ("a1ice" for "alice", "rnodjane" for "modjane"). `checkDisplayName` refuses
 *  - names containing a reserved word, after normalisation (see below), and
 *  - names whose skeleton equals a staff member's skeleton.
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
 *    customercare, servicedesk, quorum, bitpie, and 客服 官方 管理员 管理員 版主 站长 站長 工作人员 工作人員
 *    技术支持 技術支援 比特派 (客服中心 is covered by 客服). A strong word spanning several parts of a
 *    name must start and end on part boundaries: "ad_min" and "s-upport" are refused, "chad_mint" is
 *    not. "badminton" is a known innocent carrier of "admin" and is allowed. "unofficial…" and
 *    "…supporter" ARE refused: on a wallet's support forum they are impersonation material.
 *  - WEAK words are refused only as whole parts of the name (split at separators, digits and camelCase
 *    humps, or spelled letter by letter "m.o.d"): mod, mods, staff, team, service, security, system,
 *    sysop, root. As substrings they are everywhere in ordinary names: "modern", "commodore", "steam",
 *    "staffan", "servicio" (Spanish word and surname — not "service"), "teamo". So "mod_jane",
 *    "JaneMod", "Security-Team", "m0d" are refused, "modestmouse" and "teamwork" are allowed, and
 *    "dream_team" is refused (acceptable collateral: the word "team" next to a name is what fake
 *    "support teams" use).
 *  - Digits make a different name: "alice2" is not "alice" (only a1ice, al1ce, a_lice… are); staff
 *    carry a badge in the UI for the remaining cases.
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
  const strong = findStrong(coarse);
  if (strong) return { code: "reserved", word: strong };
  // Weak words: digits as separators ("Mod1", "team_2024"), and digits as letters ("m0d", "T3am").
  const humps = u.replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2");
  const weak = findWeak(parts(u, true)) ?? findWeak(parts(humps, false));
  if (weak) return { code: "reserved", word: weak };

  const skel = nameSkeleton(name);
  if (skel)
    for (const staff of staffNames)
      if (nameSkeleton(staff) === skel) return { code: "confusable", with: staff };
  return null;
}
