import { describe, expect, it } from "vitest";
import { resources } from "../../app/i18n/resources";
import { translationKeys } from "../support/translation-keys";

describe("translations", () => {
  it("has every English key in Chinese and the other way round, per namespace", () => {
    for (const ns of Object.keys(resources.en)) {
      const en = translationKeys((resources.en as Record<string, unknown>)[ns]).sort();
      const zh = translationKeys((resources["zh-CN"] as Record<string, unknown>)[ns]).sort();
      expect(zh, ns).toEqual(en);
    }
  });

  it("keeps the same {{placeholders}} in both languages", () => {
    const get = (o: unknown, path: string) => path.split(".").reduce((a: any, k) => a?.[k], o) as string;
    for (const ns of Object.keys(resources.en)) {
      for (const key of translationKeys((resources.en as Record<string, unknown>)[ns])) {
        const en = get((resources.en as Record<string, unknown>)[ns], key);
        const zh = get((resources["zh-CN"] as Record<string, unknown>)[ns], key);
        const vars = (s: string) => (s.match(/\{\{\w+\}\}/g) ?? []).sort();
        expect(vars(zh), `${ns}:${key}`).toEqual(vars(en));
      }
    }
  });
});
