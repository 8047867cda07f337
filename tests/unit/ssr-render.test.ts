import { createInstance } from "i18next";
import { describe, expect, it } from "vitest";
import { i18nConfig, supportedLngs } from "../../app/i18n/config";
import { resources } from "../../app/i18n/resources";
import { i18nFor } from "../../app/i18n/instances.server";
import { ReactFlushChunks } from "../../app/web/flush-chunks.server";
import { translationKeys } from "../support/translation-keys";

async function plainInstance(lng: string) {
  const i = createInstance();
  await i.init({ ...i18nConfig, lng });
  return i;
}

describe("the server's i18next instances (remembered plain lookups)", () => {
  it("answer every key of every namespace exactly as a fresh i18next does, twice in a row", async () => {
    for (const lng of supportedLngs) {
      const [memo, fresh] = [await i18nFor(lng), await plainInstance(lng)];
      for (const ns of Object.keys(resources.en)) {
        const t = memo.getFixedT(null, ns);
        const f = fresh.getFixedT(null, ns);
        for (const key of translationKeys((resources.en as Record<string, unknown>)[ns])) {
          const base = key.replace(/_(one|other|zero|few|many|two)$/, "");
          expect(t(base), `${lng} ${ns}:${base}`).toBe(f(base));
          expect(t(base), `${lng} ${ns}:${base} (remembered)`).toBe(f(base));
        }
      }
    }
  });

  it("never remembers a lookup with options: counts, interpolation and defaults are resolved each time", async () => {
    const t = (await i18nFor("en")).getFixedT(null, "common");
    const fresh = (await plainInstance("en")).getFixedT(null, "common");
    for (const count of [0, 1, 2, 7]) expect(t("board.views", { count })).toBe(fresh("board.views", { count }));
    expect(t("board.views", { count: 2 })).not.toBe(t("board.views", { count: 1 }));
    expect(t("thread.page", { page: 2, pages: 5 })).toBe(fresh("thread.page", { page: 2, pages: 5 }));
    expect(t("thread.page", { page: 3, pages: 9 })).toContain("3");
    expect(t("no.such.key", { defaultValue: "first" })).toBe("first");
    expect(t("no.such.key", { defaultValue: "second" })).toBe("second");
  });

  it("resolves a plain lookup once", async () => {
    const instance = await i18nFor("en");
    const translator = (instance as unknown as { translator: unknown }).translator as { translate: (...a: unknown[]) => unknown };
    const original = translator.translate;
    let calls = 0;
    translator.translate = (...a: unknown[]) => (calls++, original.apply(translator, a));
    try {
      const t = instance.getFixedT(null, "reports");
      const first = t("form.submit");
      for (let i = 0; i < 5; i++) expect(t("form.submit")).toBe(first);
      expect(calls).toBeLessThanOrEqual(1);
      t("form.noteHint", { max: 3 });
      t("form.noteHint", { max: 3 });
      expect(calls).toBeGreaterThanOrEqual(2);
    } finally {
      translator.translate = original;
    }
  });

  it("keeps each language's answers apart, and namespaces apart", async () => {
    const [en, zh] = [await i18nFor("en"), await i18nFor("zh-CN")];
    expect(en.getFixedT(null, "qa")("vote.up")).not.toBe(zh.getFixedT(null, "qa")("vote.up"));
    expect(en.getFixedT(null, "common")("qa:vote.up")).toBe(en.getFixedT(null, "qa")("vote.up"));
  });
});

describe("ReactFlushChunks", () => {
  it("passes on what was written between two flushes as one chunk, and the rest at the end", async () => {
    const s = new ReactFlushChunks();
    const out: string[] = [];
    s.on("data", (c: Buffer) => out.push(c.toString()));
    const ended = new Promise((r) => s.on("end", r));
    s.write(Buffer.from("<html>"));
    s.write(Buffer.from("<body>"));
    s.write(Buffer.from("a"));
    s.flush();
    s.flush(); // nothing pending: nothing sent
    s.write(Buffer.from("b"));
    s.write(Buffer.from("</body></html>"));
    s.end();
    await ended;
    expect(out).toEqual(["<html><body>a", "b</body></html>"]);
  });
});
