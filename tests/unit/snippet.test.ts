import { describe, expect, it } from "vitest";
import { highlightAll, plainText, snippet } from "../../app/content/snippet";

const marked = (parts: { text: string; mark?: boolean }[]) => parts.filter((p) => p.mark).map((p) => p.text);
const joined = (parts: { text: string }[]) => parts.map((p) => p.text).join("");

describe("search snippets", () => {
  it("marks Chinese bigram matches, stemmed English words and prefixes", () => {
    expect(marked(highlightAll("USDT 充值一直没到账", "充值没到账"))).toEqual(["充值", "到账"]);
    expect(marked(highlightAll("How long does a withdrawal take", "withdrawals"))).toEqual(["withdrawal"]);
    expect(marked(highlightAll("Google Authenticator codes", "authentic"))).toEqual(["Authenticator"]);
    expect(marked(highlightAll("ＵＳＤＴ 到帐", "usdt"))).toEqual(["ＵＳＤＴ"]);
    expect(marked(highlightAll("TRC20 转账失败", "TRC20 转账"))).toEqual(["TRC20", "转账"]);
  });

  it("keeps the text intact and never returns markup", () => {
    const text = "<b>不是标签</b> & 'quotes' 充值";
    const parts = highlightAll(text, "充值");
    expect(joined(parts)).toBe(text);
  });

  it("picks a window around the matches in a long text, with ellipses", () => {
    const text = "无关内容。".repeat(100) + "这里说的是 TRC20 充值 没有到账 的问题。" + "其他内容。".repeat(100);
    const parts = snippet(text, "充值到账", 80);
    expect(joined(parts).length).toBeLessThanOrEqual(100);
    expect(parts[0].text).toBe("…");
    expect(parts.at(-1)!.text).toBe("…");
    expect(marked(parts)).toEqual(["充值", "到账"]);
  });

  it("shows the beginning when nothing matches, and handles bad queries", () => {
    const text = "a".repeat(50) + " " + "b".repeat(300);
    expect(joined(snippet(text, "zzz", 100)).startsWith("a".repeat(50))).toBe(true);
    for (const q of ["", "& | ! : * ( ) '", "😀", "x".repeat(10_000)]) expect(() => snippet(text, q)).not.toThrow();
  });

  it("turns Markdown into plain text", () => {
    expect(plainText("## 标题\n\n**粗体** [链接](https://example.com) `code`\n\n```js\nconst a = 1;\n```")).toBe("标题 粗体 链接 code const a = 1;");
  });
});
