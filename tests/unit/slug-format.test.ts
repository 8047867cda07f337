import { describe, expect, it } from "vitest";
import { slugify } from "../../app/content/slug";
import { formatRelative } from "../../app/i18n/format";
import { safeRedirectPath } from "../../app/web/http.server";

describe("slugify", () => {
  it("keeps letters of any script and joins words", () => {
    expect(slugify("USDT 充值 没到账?")).toBe("usdt-充值-没到账");
    expect(slugify("How do I reset 2FA!!")).toBe("how-do-i-reset-2fa");
    expect(slugify("！！！")).toBe("thread");
    expect(Array.from(slugify("长".repeat(200))).length).toBe(60);
  });
});

describe("relative times", () => {
  it("formats per language against a fixed now", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    expect(formatRelative(new Date(now - 3 * 3600_000), now, "en")).toBe("3 hours ago");
    expect(formatRelative(new Date(now - 3 * 3600_000), now, "zh-CN")).toBe("3小时前");
    expect(formatRelative(new Date(now - 86_400_000), now, "en")).toBe("yesterday");
  });
});

describe("safeRedirectPath", () => {
  it("follows only same-site paths", () => {
    expect(safeRedirectPath("/t/1/x?page=2")).toBe("/t/1/x?page=2");
    for (const bad of ["https://evil.example", "//evil.example", "/\\evil", "javascript:alert(1)", "", null]) {
      expect(safeRedirectPath(bad)).toBe("/");
    }
  });
});
