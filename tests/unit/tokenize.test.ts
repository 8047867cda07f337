import { describe, expect, it } from "vitest";
import {
  MAX_INDEX_LENGTH,
  MAX_QUERY_LENGTH,
  MAX_QUERY_TERMS,
  SYNONYMS,
  latinQueryWords,
  normalizeText,
  queryLexemes,
  stem,
  toIndexText,
  toTsQuery,
  tokenize,
} from "../../app/content/tokenize";

/** Everything toTsQuery may produce: quoted letter/digit lexemes (dots only inside numbers), OR-ed. */
const OPERAND = String.raw`'(?:[\p{L}\p{N}]+|\d+(?:\.\d+)+)'(?::\*)?`;
const SAFE_TSQUERY = new RegExp(`^${OPERAND}(?: \\| ${OPERAND})*$`, "u");
/** Every index token is one lexeme for PostgreSQL's default parser. */
const SAFE_TOKEN = /^(?:[\p{L}\p{N}]+|\d+(?:\.\d+)+)$/u;

const lexemes = (q: string) => queryLexemes(q).map((t) => t.lexeme);

describe("normalisation", () => {
  it("applies NFKC: full-width letters, digits and spaces", () => {
    expect(tokenize("ＵＳＤＴ")).toEqual(["usdt"]);
    expect(tokenize("ＴＲＣ２０　充值")).toEqual(["trc20", "充值"]);
    expect(tokenize("①②")).toEqual(["12"]);
  });

  it("lower-cases and strips accents from Latin letters only", () => {
    expect(tokenize("USDT Usdt usdt")).toEqual(["usdt", "usdt", "usdt"]);
    expect(normalizeText("Café NAÏVE Ångström")).toBe("cafe naive angstrom");
    // Kana voicing marks are part of the letter, not an accent.
    expect(normalizeText("ガス")).toBe("ガス");
  });

  it("drops zero-width characters that would split or disguise a word", () => {
    expect(tokenize("U\u200bSDT")).toEqual(["usdt"]);
  });
});

describe("tokenize", () => {
  it("splits Chinese runs into overlapping bigrams", () => {
    expect(tokenize("转账失败")).toEqual(["转账", "账失", "失败"]);
    expect(tokenize("TRC20 转账失败")).toEqual(["trc20", "转账", "账失", "失败"]);
    expect(tokenize("USDT 充值 没到账")).toEqual(["usdt", "充值", "没到", "到账"]);
    expect(tokenize("2FA 验证码收不到")).toEqual(["2fa", "验证", "证码", "码收", "收不", "不到"]);
    // The words a user would search for are all there, whatever ICU's dictionary thinks.
    expect(tokenize("为什么我的资产被冻结了")).toEqual(expect.arrayContaining(["资产", "冻结"]));
  });

  it("keeps a one-character run as is", () => {
    expect(tokenize("USDT 币")).toEqual(["usdt", "币"]);
  });

  it("separates scripts even without spaces", () => {
    expect(tokenize("USDT充值没到账")).toEqual(["usdt", "充值", "值没", "没到", "到账"]);
    expect(tokenize("用TRC20转")).toEqual(["用", "trc20", "转"]);
  });

  it("keeps crypto tokens intact and joins letter-hyphen-digit", () => {
    const addr = "0x71C7656EC7ab88b098defB751B7401B5f6d8976F";
    expect(tokenize(`TRC20 usdt 2FA ${addr}`)).toEqual(["trc20", "usdt", "2fa", addr.toLowerCase()]);
    expect(tokenize("ERC-20")).toEqual(tokenize("ERC20"));
    expect(tokenize("version 3.2.0, 1,000.50 USDT")).toEqual(["version", "3.2.0", "1000.50", "usdt"]);
    expect(tokenize("top-up e-mail")).toEqual(["top", "up", "e", "mail"]);
  });

  it("drops punctuation, symbols and emoji", () => {
    expect(tokenize("😀👍🏻🇨🇳")).toEqual([]);
    expect(tokenize("!!! ??? …… —— ￥$%")).toEqual([]);
    expect(tokenize("")).toEqual([]);
    expect(tokenize("到账了吗？😭")).toEqual(["到账", "账了", "了吗"]);
  });

  it("keeps order and duplicates", () => {
    expect(tokenize("usdt 提现 usdt 提现")).toEqual(["usdt", "提现", "usdt", "提现"]);
  });

  it("produces only tokens PostgreSQL's parser keeps as one lexeme", () => {
    const text =
      "foo_bar user@example.com https://x.y/z?q=1 don't a.b.c 1.5 v3.2.1 ß ǅ ﬁ ① Ⅻ हिंदी русский 日本語のテキスト 한국어 e\u0301 ⻦蠼";
    for (const t of tokenize(text)) expect(t).toMatch(SAFE_TOKEN);
  });

  it("joins tokens with spaces for to_tsvector", () => {
    expect(toIndexText("TRC20 转账失败！")).toBe("trc20 转账 账失 失败");
  });

  it("bounds its input", () => {
    const long = "提现审核 withdrawal ".repeat(5000); // 85 000 chars
    const tokens = tokenize(long);
    expect(tokens.length).toBeLessThanOrEqual(MAX_INDEX_LENGTH);
    expect(toIndexText(long).length).toBeLessThan(3 * MAX_INDEX_LENGTH);
    // Cutting in the middle of a surrogate pair leaves no lone surrogate behind.
    const cut = toIndexText("a".repeat(MAX_INDEX_LENGTH - 1) + "😀");
    expect(/[\ud800-\udfff]/.test(cut)).toBe(false);
  });
});

describe("stem (light English suffix stripping, index and query alike)", () => {
  it("conflates common inflections", () => {
    const same = (words: string[]) => expect(new Set(words.map(stem)).size).toBe(1);
    same(["withdraw", "withdraws", "withdrawal", "withdrawals", "withdrawing"]);
    same(["deposit", "deposits", "deposited", "depositing"]);
    same(["change", "changed", "changes", "changing"]);
    same(["fee", "fees"]);
    same(["address", "addresses"]);
    same(["verify", "verified", "verifies"]);
    same(["transfer", "transferred", "transferring"]);
    same(["approve", "approved", "approval", "approvals"]);
  });

  it("leaves short words, codes and -ss/-us/-is/-eed words alone", () => {
    for (const w of ["gas", "sms", "kyc", "usdt", "trc20", "2fa", "status", "this", "seed", "speed", "access"]) {
      expect(stem(w)).toBe(w);
    }
  });
});

describe("toTsQuery", () => {
  it("ORs the terms, so word order does not matter", () => {
    const a = toTsQuery("充值没到账");
    const b = toTsQuery("没到账 充值");
    expect(a).toMatch(SAFE_TSQUERY);
    expect(a).not.toContain("&");
    expect(new Set(a!.split(" | "))).toEqual(new Set(b!.split(" | ")));
    expect(lexemes("充值没到账")).toEqual(expect.arrayContaining(["充值", "到账"]));
  });

  it("drops Chinese function words before making bigrams", () => {
    const l = lexemes("为什么我的资产被冻结了");
    expect(l).toEqual(expect.arrayContaining(["资产", "冻结"]));
    for (const noise of ["为什", "什么", "我的", "的资", "产被", "结了"]) expect(l).not.toContain(noise);
    expect(lexemes("提币一直在审核中")).toEqual(expect.arrayContaining(["提币", "审核"]));
    expect(lexemes("提币一直在审核中")).not.toContain("一直");
  });

  it("keeps a one-character word with its neighbours", () => {
    expect(lexemes("钱被盗了")).toEqual(expect.arrayContaining(["被盗"]));
  });

  it("drops English stop words but keeps a query made only of them", () => {
    const l = lexemes("how do I reset my password");
    expect(l).toContain("reset");
    for (const s of ["how", "do", "i", "my"]) expect(l).not.toContain(s);
    expect(toTsQuery("the")).toBe("'the':*");
  });

  it("treats the last Latin word as a prefix", () => {
    expect(toTsQuery("withdr")).toBe("'withdr':*");
    expect(toTsQuery("pending withdr")).toBe("'pend' | 'withdr':*");
    expect(toTsQuery("google authentic")).toBe("'googl' | 'authentic':*");
    // An unfinished suffix is dropped so the prefix still matches the stem.
    expect(toTsQuery("pendin")).toBe("'pend':*");
    expect(toTsQuery("withdrawa")).toBe("'withdraw':*");
    // Not numbers, not CJK, not words shorter than 3.
    expect(toTsQuery("usdt 500")).toBe("'usdt' | '500'");
    expect(toTsQuery("提现")).not.toContain(":*");
  });

  it("a lone CJK character becomes a prefix", () => {
    expect(toTsQuery("币")).toBe("'币':*");
  });

  it("expands synonyms on the query side", () => {
    expect(lexemes("提币")).toEqual(expect.arrayContaining(["提币", "提现"]));
    expect(lexemes("充币没到账")).toEqual(expect.arrayContaining(["充值", "到账"]));
    expect(lexemes("2FA 丢了怎么办")).toEqual(expect.arrayContaining(["2fa", "双重", "认证", "谷歌"]));
    expect(lexemes("谷歌验证器 换手机")).toContain("2fa");
    expect(lexemes("top up not received")).toEqual(expect.arrayContaining(["deposit", "receiv", "arriv"]));
    // Multi-word Latin members only trigger their group, they are never added word by word.
    expect(lexemes("deposit")).not.toContain("top");
    // An English query gets no Chinese expansions.
    expect(lexemes("frozen account").some((l) => /\p{Script=Han}/u.test(l))).toBe(false);
    expect(lexemes("frozen account")).toContain("freez");
  });

  it("SYNONYMS is a visible, small table", () => {
    expect(SYNONYMS.length).toBeGreaterThan(5);
    expect(SYNONYMS.flat()).toEqual(expect.arrayContaining(["提现", "提币", "2fa", "双重认证"]));
  });

  it.each([
    "& | ! : * ( ) ' \\ \" <-> <1>",
    "usdt & trc20",
    "usdt | !trc20",
    "'usdt':*",
    "usdt:* & (trc20 | erc20)",
    "a <-> b <2> c",
    "it's",
    "'''",
    "\\'",
    "\\",
    "'; drop table users; --",
    "提现' | '充值",
    "(((((",
    "!!!usdt",
    "usdt:A",
    "café's naïve",
    "😀 & 😀",
  ])("is always a safe tsquery: %s", (input) => {
    const q = toTsQuery(input);
    if (q !== null) expect(q).toMatch(SAFE_TSQUERY);
  });

  it("neutralises SQL-looking input", () => {
    expect(toTsQuery("'; drop table users; --")).toBe("'drop' | 'tabl' | 'user':*");
    expect(toTsQuery("& | ! : * ( ) ' \\ \" <-> <1>")).toBe("'1'");
  });

  it("returns null when nothing is searchable", () => {
    for (const q of ["", "   ", "\t\n　", "😀👍🏻", "& | ! ( ) : *", "''", "——？"]) expect(toTsQuery(q)).toBeNull();
  });

  it("bounds long queries", () => {
    expect(MAX_QUERY_LENGTH).toBe(200);
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}x`).join(" "); // ~14 000 chars
    const q = toTsQuery(words)!;
    expect(q).toMatch(SAFE_TSQUERY);
    expect(q).toContain("'w0x'");
    expect(q).not.toContain("'w100x'"); // beyond the first 200 characters
    expect(q.split(" | ").length).toBeLessThanOrEqual(MAX_QUERY_TERMS);

    const cjk = "充值提现审核冻结".repeat(1250); // 10 000 chars
    expect(toTsQuery(cjk)!.split(" | ").length).toBeLessThanOrEqual(MAX_QUERY_TERMS);
    expect(toTsQuery("x".repeat(10_000))).toBeNull(); // one 200-char "word" is too long to be a token
  });
});

describe("latinQueryWords (input for the pg_trgm fallback)", () => {
  it("gives the unstemmed Latin words with their one-term tsquery", () => {
    expect(latinQueryWords("google authenticater not working")).toEqual([
      { word: "google", tsquery: "'googl'" },
      { word: "authenticater", tsquery: "'authenticater'" },
      { word: "working", tsquery: "'work':*" },
    ]);
    expect(latinQueryWords("withdrawl 没到账")).toEqual([{ word: "withdrawl", tsquery: "'withdrawl'" }]);
    expect(latinQueryWords("充值没到账")).toEqual([]);
  });
});
