import { describe, expect, it } from "vitest";
import { renderAccountMail } from "../../app/server/mail.server";
import { matchTotpStep, newRecoveryCodes, newTotpSecret, normalizeRecoveryCode, totpCode } from "../../app/auth/totp.server";
import { openSecret, sealSecret } from "../../app/models/tokens.server";

describe("account mail", () => {
  it("is written in the recipient's language, as text and simple HTML with the link escaped", () => {
    const link = "https://forum.example/reset-password?token=abc&x=<y>";
    const en = renderAccountMail({ to: "a@example.com", locale: "en", kind: "reset", username: "alice", link });
    expect(en.subject).toBe("Reset your Quorum password");
    expect(en.text).toContain("Hello alice,");
    expect(en.text).toContain(link);
    expect(en.html).toContain('href="https://forum.example/reset-password?token=abc&amp;x=&lt;y&gt;"');
    expect(en.html).not.toContain("<y>");
    const zh = renderAccountMail({ to: "a@example.com", locale: "zh-CN", kind: "reset", username: "alice", link });
    expect(zh.subject).toBe("重置您的 Quorum 密码");
    expect(zh.text).toContain("alice,您好");
    const fallback = renderAccountMail({ to: "a@example.com", locale: null, kind: "changeEmailOld", username: "bob", params: { newEmail: "n@example.org" } });
    expect(fallback.text).toContain("n@example.org");
    expect(fallback.html).not.toContain("<a href");
  });
});

describe("totp helpers", () => {
  it("match within ±1 step only", () => {
    const secret = newTotpSecret();
    const now = new Date("2026-11-24T10:00:15Z");
    const step = Math.floor(now.getTime() / 30000);
    expect(matchTotpStep(secret, totpCode(secret, now), now)).toBe(step);
    expect(matchTotpStep(secret, totpCode(secret, new Date(now.getTime() - 30000)), now)).toBe(step - 1);
    expect(matchTotpStep(secret, totpCode(secret, new Date(now.getTime() + 30000)), now)).toBe(step + 1);
    expect(matchTotpStep(secret, totpCode(secret, new Date(now.getTime() + 60000)), now)).toBeNull();
    expect(matchTotpStep(secret, "12345", now)).toBeNull();
  });

  it("recovery codes are ten distinct codes, typed in any case", () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(normalizeRecoveryCode(" ABCDE-fghij ")).toBe("abcdefghij");
  });

  it("seals the secret with QUORUM_SECRET_KEY when it is set", () => {
    const before = process.env.QUORUM_SECRET_KEY;
    try {
      delete process.env.QUORUM_SECRET_KEY;
      expect(sealSecret("ABC")).toBe("plain:ABC");
      process.env.QUORUM_SECRET_KEY = "test key";
      const sealed = sealSecret("JBSWY3DPEHPK3PXP");
      expect(sealed.startsWith("v1:")).toBe(true);
      expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
      expect(openSecret(sealed)).toBe("JBSWY3DPEHPK3PXP");
      process.env.QUORUM_SECRET_KEY = "another key";
      expect(() => openSecret(sealed)).toThrow();
    } finally {
      if (before === undefined) delete process.env.QUORUM_SECRET_KEY;
      else process.env.QUORUM_SECRET_KEY = before;
    }
  });
});
