import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ReactFlushChunks, withoutUnfilledTail } from "../../app/web/flush-chunks.server";

function render(): Promise<Buffer> {
  // Paragraphs of Chinese of varied lengths: some 3-byte character falls across every 2 KB view.
  const parts = Array.from({ length: 400 }, (_, i) =>
    createElement("p", { key: i }, "骗子诈骗钱包助记词客服".repeat((i % 7) + 1), "a".repeat(i % 5), i % 9 === 0 ? "😀" : ""),
  );
  return new Promise((resolve, reject) => {
    const out = new ReactFlushChunks();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(Buffer.from(c)));
    out.on("end", () => resolve(Buffer.concat(chunks)));
    const { pipe } = renderToPipeableStream(createElement("div", null, parts), { onAllReady: () => pipe(out), onShellError: reject });
  });
}

describe("the server render's byte stream", () => {
  it("holds no NUL byte and is valid UTF-8 for long Chinese pages", async () => {
    const html = await render();
    expect(html.length).toBeGreaterThan(20_000);
    expect(html.indexOf(0)).toBe(-1);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(html);
    expect(text).toContain("骗子诈骗钱包助记词客服");
  });

  it("cuts only a full 2 KB view's zero tail, at most three bytes", () => {
    const view = Buffer.alloc(2048, 0x61);
    view.fill(0, 2046);
    expect(withoutUnfilledTail(view).length).toBe(2046);
    const four = Buffer.alloc(2048, 0x61);
    four.fill(0, 2044);
    expect(withoutUnfilledTail(four).length).toBe(2045);
    const short = Buffer.from([0x61, 0]);
    expect(withoutUnfilledTail(short)).toBe(short);
    const full = Buffer.alloc(2048, 0x61);
    expect(withoutUnfilledTail(full)).toBe(full);
  });
});
