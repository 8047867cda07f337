import { afterEach, describe, expect, it } from "vitest";
import { blockedDomainOf, blockedDomains, DEFAULT_BLOCKED_DOMAINS, guardUserText } from "../../app/safety/guard.server";
import { secretSamples } from "../fixtures/secret-samples";

const saved = process.env.QUORUM_BLOCKED_DOMAINS;
afterEach(() => {
  if (saved === undefined) delete process.env.QUORUM_BLOCKED_DOMAINS;
  else process.env.QUORUM_BLOCKED_DOMAINS = saved;
});

describe("guardUserText", () => {
  const [phrase] = secretSamples().filter((s) => s.form.startsWith("english/"));

  it("blocks a verified secret, masks it, names the field; the override does not help", () => {
    for (const override of [false, true]) {
      const r = guardUserText({ title: "help me please", body: phrase.text }, { override, markdown: ["body"] });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.issue).toMatchObject({ kind: "secret", verdict: "block" });
      expect(Object.keys(r.errors)).toEqual(["body"]);
      expect(r.values.title).toBe("help me please");
      expect(r.values.body.includes(phrase.secret)).toBe(false);
    }
  });

  it("refuses an unverified run (a near miss) like a phrase: masked, and the override does not help", () => {
    const body = "abandon ability able about above absent absorb abstract absurd abuse access accident";
    for (const override of [false, true]) {
      const r = guardUserText({ body }, { override });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.issue).toMatchObject({ kind: "secret", verdict: "block", secretKinds: ["mnemonic_unverified"] });
      expect(r.values.body).not.toContain("absurd");
    }
  });

  it("flags wallet addresses in Markdown fields only", () => {
    const body = "send to 0x52908400098527886E0F7030069857D2E4169EE7 please";
    expect(guardUserText({ body }, { markdown: ["body"] })).toEqual({ ok: true, hasAddress: true });
    expect(guardUserText({ body })).toEqual({ ok: true, hasAddress: false });
  });
});

describe("blocked domains", () => {
  it("merges the defaults with QUORUM_BLOCKED_DOMAINS, normalised", () => {
    process.env.QUORUM_BLOCKED_DOMAINS = " Evil-Wallet.COM, *.drainer.io ,,";
    expect(blockedDomains()).toEqual([...DEFAULT_BLOCKED_DOMAINS, "evil-wallet.com", "drainer.io"]);
  });

  it("blocks the domain and its subdomains, not look-alike suffixes", () => {
    const list = ["evil-wallet.com"];
    expect(blockedDomainOf("evil-wallet.com", list)).toBe("evil-wallet.com");
    expect(blockedDomainOf("APP.Evil-Wallet.com.", list)).toBe("evil-wallet.com");
    expect(blockedDomainOf("notevil-wallet.com", list)).toBeNull();
    expect(blockedDomainOf("evil-wallet.com.cn", list)).toBeNull();
  });
});
