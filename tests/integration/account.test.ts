import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { action as forgotAction } from "../../app/routes/forgot-password";
import { action as resetAction, loader as resetLoader } from "../../app/routes/reset-password";
import { action as signupAction } from "../../app/routes/signup";
import { action as loginAction } from "../../app/routes/login";
import { action as twoFactorAction, loader as twoFactorLoader } from "../../app/routes/login_.2fa";
import { action as askAction } from "../../app/routes/ask";
import { action as verifyAction, loader as verifyLoader } from "../../app/routes/verify-email";
import { action as settingsAction } from "../../app/routes/settings._index";
import { action as securityAction, loader as securityLoader } from "../../app/routes/settings.security";
import { loader as outboxLoader } from "../../app/routes/staff.outbox";
import { loader as rootLoader } from "../../app/root";
import { authenticate } from "../../app/models/users.server";
import { beginTotpEnrolment, checkSecondFactor, confirmTotpEnrolment } from "../../app/models/account.server";
import { totpCode } from "../../app/auth/totp.server";
import { mailWorkIdle } from "../../app/server/mail.server";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { makeUser, PASSWORD } from "../support/factories";
import { startSmtp } from "../support/smtp";

const db = useTestDb();
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  await smtp?.close();
});
beforeEach(() => {
  process.env.SMTP_URL = smtp.url;
  process.env.MAIL_FROM = "Quorum <no-reply@quorum.test>";
});

function cookieOf(headers: Headers, name = "quorum_session"): string {
  const all = headers.getSetCookie?.() ?? [headers.get("Set-Cookie") ?? ""];
  return (all.find((c) => c.startsWith(`${name}=`)) ?? "").split(";")[0];
}

function linkIn(text: string, path: string): string {
  const m = new RegExp(`https?://[^\\s]+${path.replace(/[?]/g, "\\?")}=[A-Za-z0-9_-]+`).exec(text);
  if (!m) throw new Error(`no ${path} link in: ${text}`);
  return m[0];
}

async function sessionCount(userId: number) {
  const r = await db().selectFrom("user_sessions").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", userId).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe("password reset through a real SMTP server", () => {
  it("mails a single-use link; the new password ends every session and a notice is sent", async () => {
    const user = await makeUser(db());
    const email = `${user.username}@example.com`;
    const c1 = await loginCookie(user.id);
    await loginCookie(user.id);
    expect(await sessionCount(user.id)).toBe(2);

    const res = await call(forgotAction, makeRequest("/forgot-password", { form: { email: email.toUpperCase() } }));
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ sent: true });
    const mail = await smtp.waitFor((m) => m.to.includes(email) && m.text.includes("/reset-password?token="));
    expect(mail.from).toBe("no-reply@quorum.test");
    expect(mail.html).toContain("<a href=");
    const link = linkIn(mail.text, "/reset-password?token");
    expect(link.startsWith("http://quorum.test/reset-password?token=")).toBe(true);
    const token = new URL(link).searchParams.get("token")!;
    // Only the hash is stored.
    const rows = await db().selectFrom("account_tokens").selectAll().where("user_id", "=", user.id).where("purpose", "=", "reset_password").execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).not.toContain(token);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].expires_at.getTime() - rows[0].created_at.getTime()).toBeLessThanOrEqual(3600_000 + 5000);

    // Opening the link does not use it.
    const page = await call(resetLoader, makeRequest(`/reset-password?token=${token}`));
    expect(page.status).toBe(200);
    expect(page.data.token).toBe(token);

    const tooShort = await call(resetAction, makeRequest("/reset-password", { form: { token, password: "short" } }));
    expect(tooShort.status).toBe(400);

    const done = await call(resetAction, makeRequest("/reset-password", { form: { token, password: "a brand new password" }, cookie: c1 }));
    expect(done.status).toBe(200);
    expect(done.data).toEqual({ done: true });
    expect(await sessionCount(user.id)).toBe(0);
    const root = await call(rootLoader, makeRequest("/", { cookie: c1 }));
    expect(root.data.user).toBeNull();
    expect(await authenticate(db(), user.username, "a brand new password")).not.toBeNull();
    expect(await authenticate(db(), user.username, PASSWORD)).toBeNull();

    const notice = await smtp.waitFor((m) => m.to.includes(email) && m !== mail);
    expect(notice.text).not.toContain("token=");

    // The link works once.
    const again = await call(resetAction, makeRequest("/reset-password", { form: { token, password: "another new password" } }));
    expect(again.status).toBe(400);
    expect(again.data).toEqual({ invalid: true });
    expect((await call(resetLoader, makeRequest(`/reset-password?token=${token}`))).status).toBe(400);
    expect(await authenticate(db(), user.username, "a brand new password")).not.toBeNull();
  });

  it("answers the same for an unknown address, sends nothing, and rate-limits per address", async () => {
    const before = smtp.mails.length;
    const res = await call(forgotAction, makeRequest("/forgot-password", { form: { email: "nobody@example.com" } }));
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ sent: true });
    await mailWorkIdle(); // the look-up and the mail happen after the answer
    expect(smtp.mails.length).toBe(before);

    const user = await makeUser(db());
    const email = `${user.username}@example.com`;
    for (let i = 0; i < 5; i++) {
      const r = await call(forgotAction, makeRequest("/forgot-password", { form: { email } }));
      expect(r.data).toEqual({ sent: true });
    }
    await mailWorkIdle();
    expect(smtp.mails.filter((m) => m.to.includes(email))).toHaveLength(3);
    // Each new link voided the one before: only one is live.
    const live = await db().selectFrom("account_tokens").select("id").where("user_id", "=", user.id).where("used_at", "is", null).execute();
    expect(live).toHaveLength(1);
  });
});

describe("e-mail verification", () => {
  it("sign-up mails a link; unverified accounts may not ask until it is used; resend is rate-limited", async () => {
    const res = await call(signupAction, makeRequest("/signup", { form: { username: "verify_me", email: "verify_me@example.com", password: "a long password" } }));
    expect(res.status).toBe(302);
    const cookie = cookieOf(res.headers);
    const user = await db().selectFrom("users").selectAll().where("username", "=", "verify_me").executeTakeFirstOrThrow();
    expect(user.email_verified_at).toBeNull();
    const mail = await smtp.waitFor((m) => m.to.includes("verify_me@example.com"));
    const link = linkIn(mail.text, "/verify-email?token");

    const root = await call(rootLoader, makeRequest("/", { cookie }));
    expect(root.data.user.emailVerified).toBe(false);

    const ask = { board: "account", title: "How do I recover my account?", body: "I lost my password and need help please." };
    const denied = await call(askAction, makeRequest("/ask", { form: ask, cookie }));
    expect(denied.status).toBe(403);
    expect(denied.data.errors._form.key).toBe("validation.emailUnverified");

    // The setting can turn the rule off.
    process.env.QUORUM_REQUIRE_VERIFIED_TO_ASK = "0";
    try {
      const allowed = await call(askAction, makeRequest("/ask", { form: { ...ask, title: "Allowed while the rule is off" }, cookie }));
      expect(allowed.status).toBe(302);
    } finally {
      delete process.env.QUORUM_REQUIRE_VERIFIED_TO_ASK;
    }

    // Resend: 3 per hour.
    for (let i = 0; i < 3; i++) {
      const r = await call(verifyAction, makeRequest("/verify-email", { form: { redirectTo: "/" }, cookie }));
      expect(r.status).toBe(302);
    }
    const limited = await call(verifyAction, makeRequest("/verify-email", { form: { redirectTo: "/" }, cookie }));
    expect(limited.status).toBe(429);
    // Each resend voided the older links: the first link no longer works.
    const stale = await call(verifyLoader, makeRequest(new URL(link).pathname + new URL(link).search));
    expect(stale.status).toBe(400);
    const latest = smtp.mails.filter((m) => m.to.includes("verify_me@example.com")).at(-1)!;
    const fresh = new URL(linkIn(latest.text, "/verify-email?token"));
    const ok = await call(verifyLoader, makeRequest(fresh.pathname + fresh.search));
    expect(ok.status).toBe(200);
    expect(ok.data.result).toBe("done");
    const after = await db().selectFrom("users").select("email_verified_at").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(after.email_verified_at).not.toBeNull();
    const allowed = await call(askAction, makeRequest("/ask", { form: ask, cookie }));
    expect(allowed.status).toBe(302);
    expect((await call(verifyLoader, makeRequest(fresh.pathname + fresh.search))).status).toBe(400);
  });
});

describe("settings: password and e-mail", () => {
  it("changing the password needs the current one and ends the other sessions", async () => {
    const user = await makeUser(db());
    const mine = await loginCookie(user.id);
    const other = await loginCookie(user.id);
    const wrong = await call(settingsAction, makeRequest("/settings", { form: { intent: "password", current: "wrong one!!", password: "new password 123" }, cookie: mine }));
    expect(wrong.status).toBe(400);
    expect(wrong.data.errors.current.key).toBe("validation.wrongPassword");
    const ok = await call(settingsAction, makeRequest("/settings", { form: { intent: "password", current: PASSWORD, password: "new password 123" }, cookie: mine }));
    expect(ok.data).toEqual({ done: "password" });
    expect(await sessionCount(user.id)).toBe(1);
    expect((await call(rootLoader, makeRequest("/", { cookie: mine }))).data.user.id).toBe(user.id);
    expect((await call(rootLoader, makeRequest("/", { cookie: other }))).data.user).toBeNull();
    await smtp.waitFor((m) => m.to.includes(`${user.username}@example.com`));
  });

  it("a new address takes effect only once its link is used; the old address is told", async () => {
    const user = await makeUser(db());
    const oldEmail = `${user.username}@example.com`;
    const cookie = await loginCookie(user.id);
    const res = await call(settingsAction, makeRequest("/settings", { form: { intent: "email", current: PASSWORD, email: "moved@example.org" }, cookie }));
    expect(res.data).toEqual({ done: "email" });
    const row = await db().selectFrom("users").select("email").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.email).toBe(oldEmail);
    const toNew = await smtp.waitFor((m) => m.to.includes("moved@example.org"));
    const toOld = await smtp.waitFor((m) => m.to.includes(oldEmail) && m.text.includes("moved@example.org"));
    expect(toOld.text).not.toContain("change=");
    const link = new URL(linkIn(toNew.text, "/verify-email?change"));
    const done = await call(verifyLoader, makeRequest(link.pathname + link.search));
    expect(done.data.result).toBe("changed");
    const after = await db().selectFrom("users").select(["email", "email_verified_at"]).where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(after.email).toBe("moved@example.org");
    expect(after.email_verified_at).not.toBeNull();
    expect((await call(verifyLoader, makeRequest(link.pathname + link.search))).status).toBe(400);
  });

  it("e-mail change requests are limited: the sixth in an hour gets 429, when to retry, the address kept, no new link", async () => {
    const user = await makeUser(db());
    const cookie = await loginCookie(user.id);
    const ask = (i: number) =>
      call(settingsAction, makeRequest("/settings", { form: { intent: "email", current: PASSWORD, email: `next${i}-${user.id}@example.org` }, cookie }));
    for (let i = 1; i <= 5; i++) expect((await ask(i)).data).toEqual({ done: "email" });
    const tokensBefore = await db().selectFrom("account_tokens").select("id").where("user_id", "=", user.id).where("purpose", "=", "change_email").execute();
    const limited = await ask(6);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(limited.data.rateLimit).toMatchObject({ limit: "emailChange", what: "email" });
    expect(limited.data.values.email).toBe(`next6-${user.id}@example.org`);
    const tokensAfter = await db().selectFrom("account_tokens").select("id").where("user_id", "=", user.id).where("purpose", "=", "change_email").execute();
    expect(tokensAfter).toEqual(tokensBefore);
  });
});

describe("two-factor sign-in (TOTP)", () => {
  it("with a controlled clock: window ±1 step, and a code is never accepted twice", async () => {
    const user = await makeUser(db());
    const secret = await beginTotpEnrolment(db(), user.id);
    const t0 = new Date("2026-11-24T12:00:10Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    await expect(confirmTotpEnrolment(db(), user.id, "000000", t0)).rejects.toThrow("totpWrongCode");
    const codes = await confirmTotpEnrolment(db(), user.id, totpCode(secret, t0), t0);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // The confirming code's step is used up.
    expect(await checkSecondFactor(db(), user.id, totpCode(secret, t0), at(5))).toBeNull();
    // Next step: accepted once.
    expect(await checkSecondFactor(db(), user.id, totpCode(secret, at(30)), at(30))).toBe("totp");
    expect(await checkSecondFactor(db(), user.id, totpCode(secret, at(30)), at(40))).toBeNull();
    // One step ahead of the clock is within the window; two steps is not.
    expect(await checkSecondFactor(db(), user.id, totpCode(secret, at(120)), at(60))).toBeNull();
    expect(await checkSecondFactor(db(), user.id, totpCode(secret, at(90)), at(60))).toBe("totp");
    // A step before the last accepted one is refused, though within the window.
    expect(await checkSecondFactor(db(), user.id, totpCode(secret, at(60)), at(75))).toBeNull();
    // Recovery codes: each works once, typed in any case with or without the dash.
    expect(await checkSecondFactor(db(), user.id, codes[0].toUpperCase().replace("-", " "), at(200))).toBe("recovery");
    expect(await checkSecondFactor(db(), user.id, codes[0], at(201))).toBeNull();
    const stored = await db().selectFrom("recovery_codes").selectAll().where("user_id", "=", user.id).execute();
    expect(stored).toHaveLength(10);
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.code_hash) && !codes.includes(r.code_hash))).toBe(true);
    expect(stored.filter((r) => r.used_at)).toHaveLength(1);
    // The secret is not stored in the clear when QUORUM_SECRET_KEY is set; here it is marked plain.
    const row = await db().selectFrom("users").select(["totp_secret", "totp_last_step"]).where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.totp_secret).toMatch(/^(plain|v1):/);
    expect(row.totp_last_step).toBe(Math.floor(at(90).getTime() / 30000));
  });

  it("enrol through /settings/security, then sign in in two steps with a code and with a recovery code", async () => {
    const user = await makeUser(db());
    const cookie = await loginCookie(user.id);
    await call(securityAction, makeRequest("/settings/security", { form: { intent: "totp-start" }, cookie }));
    const page = await call(securityLoader, makeRequest("/settings/security", { cookie }));
    const secret: string = page.data.totp.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(page.data.totp.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    const wrong = await call(securityAction, makeRequest("/settings/security", { form: { intent: "totp-confirm", code: "123456" }, cookie }));
    expect(wrong.status).toBe(400);
    const confirmed = await call(securityAction, makeRequest("/settings/security", { form: { intent: "totp-confirm", code: totpCode(secret) }, cookie }));
    expect(confirmed.status).toBe(200);
    const codes: string[] = confirmed.data.codes;
    expect(codes).toHaveLength(10);
    const after = await call(securityLoader, makeRequest("/settings/security", { cookie }));
    expect(after.data.totp.enabled).toBe(true);
    expect(after.data.totp.secret).toBeNull();
    expect(JSON.stringify(after.data)).not.toContain(secret);

    // Password first: no session yet, only a pending cookie for /login.
    const before = await sessionCount(user.id);
    const login = await call(loginAction, makeRequest("/login", { form: { login: user.username, password: PASSWORD, redirectTo: "/b/account" } }));
    expect(login.status).toBe(302);
    expect(login.location).toBe("/login/2fa?redirectTo=%2Fb%2Faccount");
    expect(cookieOf(login.headers)).toBe("");
    const pending = cookieOf(login.headers, "quorum_2fa");
    expect(pending).toMatch(/^quorum_2fa=.+/);
    expect(login.headers.get("Set-Cookie")).toMatch(/HttpOnly/);
    expect(await sessionCount(user.id)).toBe(before);
    expect((await call(twoFactorLoader, makeRequest("/login/2fa", { cookie: pending }))).status).toBe(200);
    expect((await call(twoFactorLoader, makeRequest("/login/2fa"))).location).toBe("/login");

    const bad = await call(twoFactorAction, makeRequest("/login/2fa", { form: { code: "000000" }, cookie: pending }));
    expect(bad.status).toBe(400);
    expect(await sessionCount(user.id)).toBe(before);
    // The code of the next step (within the window; the current one was used to confirm).
    const next = totpCode(secret, new Date(Date.now() + 30_000));
    const ok = await call(twoFactorAction, makeRequest("/login/2fa", { form: { code: next, redirectTo: "/b/account" }, cookie: pending }));
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/b/account");
    expect(cookieOf(ok.headers)).toMatch(/^quorum_session=/);
    expect(await sessionCount(user.id)).toBe(before + 1);
    // The pending token is spent.
    expect((await call(twoFactorAction, makeRequest("/login/2fa", { form: { code: codes[1] }, cookie: pending }))).status).toBe(400);

    // Again, with a recovery code; then that code is spent.
    const login2 = await call(loginAction, makeRequest("/login", { form: { login: user.username, password: PASSWORD } }));
    const pending2 = cookieOf(login2.headers, "quorum_2fa");
    const rec = await call(twoFactorAction, makeRequest("/login/2fa", { form: { code: codes[2] }, cookie: pending2 }));
    expect(rec.status).toBe(302);
    const login3 = await call(loginAction, makeRequest("/login", { form: { login: user.username, password: PASSWORD } }));
    const pending3 = cookieOf(login3.headers, "quorum_2fa");
    expect((await call(twoFactorAction, makeRequest("/login/2fa", { form: { code: codes[2] }, cookie: pending3 }))).status).toBe(400);

    // Turning it off needs a code.
    const offBad = await call(securityAction, makeRequest("/settings/security", { form: { intent: "totp-disable", code: "" }, cookie }));
    expect(offBad.status).toBe(400);
    const off = await call(securityAction, makeRequest("/settings/security", { form: { intent: "totp-disable", code: codes[3] }, cookie }));
    expect(off.status).toBe(200);
    const row = await db().selectFrom("users").select(["totp_secret", "totp_enabled_at"]).where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ totp_secret: null, totp_enabled_at: null });
    expect(await db().selectFrom("recovery_codes").select("id").where("user_id", "=", user.id).execute()).toHaveLength(0);
  });
});

describe("staff need two-factor sign-in", () => {
  it("a moderator without 2FA is sent to enrol; with it, the admin outbox still needs an admin", async () => {
    delete process.env.SMTP_URL;
    const mod = await makeUser(db(), { role: "moderator", twoFactor: false });
    const modCookie = await loginCookie(mod.id);
    const stopped = await call(outboxLoader, makeRequest("/staff/outbox", { cookie: modCookie }));
    expect(stopped.status).toBe(302);
    expect(stopped.location).toBe("/settings/security?required=staff");
    const admin = await makeUser(db(), { role: "admin", twoFactor: false });
    const adminCookie = await loginCookie(admin.id);
    expect((await call(outboxLoader, makeRequest("/staff/outbox", { cookie: adminCookie }))).location).toBe("/settings/security?required=staff");
    const user = await makeUser(db());
    expect((await call(outboxLoader, makeRequest("/staff/outbox", { cookie: await loginCookie(user.id) }))).status).toBe(403);
    expect((await call(outboxLoader, makeRequest("/staff/outbox"))).location).toMatch(/^\/login/);

    // Enrolling ends the account's other sessions: each enrols from the browser whose cookie it keeps.
    for (const [u, cookie] of [[mod, modCookie], [admin, adminCookie]] as const) {
      const secret = await beginTotpEnrolment(db(), u.id);
      await confirmTotpEnrolment(db(), u.id, totpCode(secret), new Date(), cookie.split("=")[1]);
    }
    expect((await call(outboxLoader, makeRequest("/staff/outbox", { cookie: modCookie }))).status).toBe(403);
    // Without SMTP_URL, mail lands in the outbox the admin reads.
    await call(forgotAction, makeRequest("/forgot-password", { form: { email: `${user.username}@example.com` } }));
    await mailWorkIdle();
    const page = await call(outboxLoader, makeRequest("/staff/outbox", { cookie: adminCookie }));
    expect(page.status).toBe(200);
    const mail = page.data.mails.find((m: { to_address: string }) => m.to_address === `${user.username}@example.com`);
    expect(mail.text_body).toContain("/reset-password?token=");

    // The setting can turn the rule off.
    process.env.QUORUM_STAFF_REQUIRE_2FA = "0";
    try {
      const mod2 = await makeUser(db(), { role: "admin", twoFactor: false });
      expect((await call(outboxLoader, makeRequest("/staff/outbox", { cookie: await loginCookie(mod2.id) }))).status).toBe(200);
    } finally {
      delete process.env.QUORUM_STAFF_REQUIRE_2FA;
    }
  });
});

describe("sessions", () => {
  it("lists the account's sessions, ends one, and ends all but this one", async () => {
    const user = await makeUser(db());
    const mine = await loginCookie(user.id);
    const other1 = await loginCookie(user.id);
    const other2 = await loginCookie(user.id);
    await db().updateTable("user_sessions").set({ user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36" }).where("user_id", "=", user.id).execute();
    const page = await call(securityLoader, makeRequest("/settings/security", { cookie: mine }));
    expect(page.data.sessions).toHaveLength(3);
    expect(page.data.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(page.data.sessions[0].browser).toMatch(/^Chrome 130/);
    expect(JSON.stringify(page.data)).not.toContain(mine.split("=")[1]);
    const target = page.data.sessions.find((s: { current: boolean }) => !s.current);
    const ended = await call(securityAction, makeRequest("/settings/security", { form: { intent: "session-end", session: target.handle }, cookie: mine }));
    expect(ended.data.ok).toBe("security.ended");
    expect(await sessionCount(user.id)).toBe(2);
    // Someone else's handle does nothing.
    const stranger = await makeUser(db());
    const strangerCookie = await loginCookie(stranger.id);
    await call(securityAction, makeRequest("/settings/security", { form: { intent: "session-end", session: page.data.sessions.find((s: { current: boolean }) => s.current).handle }, cookie: strangerCookie }));
    expect(await sessionCount(user.id)).toBe(2);

    await call(securityAction, makeRequest("/settings/security", { form: { intent: "sessions-end-others" }, cookie: mine }));
    expect(await sessionCount(user.id)).toBe(1);
    expect((await call(rootLoader, makeRequest("/", { cookie: mine }))).data.user.id).toBe(user.id);
    for (const c of [other1, other2]) expect((await call(rootLoader, makeRequest("/", { cookie: c }))).data.user).toBeNull();
  });
});

describe("sessions at rest and two-factor enrolment", () => {
  it("stores a session under the hash of its cookie, never the cookie itself", async () => {
    const user = await makeUser(db());
    const cookie = await loginCookie(user.id);
    const value = cookie.split("=")[1];
    const rows = await db().selectFrom("user_sessions").select("id").where("user_id", "=", user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].id).not.toBe(value);
    expect(rows[0].id).toBe(createHash("sha256").update(value).digest("hex"));
    // The cookie still signs in; the stored id, sent as a cookie, does not.
    expect((await call(rootLoader, makeRequest("/", { cookie }))).data.user.id).toBe(user.id);
    expect((await call(rootLoader, makeRequest("/", { cookie: `quorum_session=${rows[0].id}` }))).data.user).toBeNull();
  });

  it("turning two-factor sign-in on ends every other session of the account", async () => {
    const user = await makeUser(db());
    const mine = await loginCookie(user.id);
    const other = await loginCookie(user.id);
    await call(securityAction, makeRequest("/settings/security", { form: { intent: "totp-start" }, cookie: mine }));
    const secret: string = (await call(securityLoader, makeRequest("/settings/security", { cookie: mine }))).data.totp.secret;
    const confirmed = await call(securityAction, makeRequest("/settings/security", { form: { intent: "totp-confirm", code: totpCode(secret) }, cookie: mine }));
    expect(confirmed.status).toBe(200);
    expect(await sessionCount(user.id)).toBe(1);
    expect((await call(rootLoader, makeRequest("/", { cookie: mine }))).data.user.id).toBe(user.id);
    expect((await call(rootLoader, makeRequest("/", { cookie: other }))).data.user).toBeNull();
  });

  it("codes typed while enrolling do not use up the sign-in step's attempts", async () => {
    const user = await makeUser(db());
    const cookie = await loginCookie(user.id);
    await call(securityAction, makeRequest("/settings/security", { form: { intent: "totp-start" }, cookie }));
    for (let i = 0; i < 10; i++) {
      const wrong = await call(securityAction, makeRequest("/settings/security", { form: { intent: "totp-confirm", code: "000000" }, cookie }));
      expect(wrong.status).toBe(400);
    }
    const limited = await call(securityAction, makeRequest("/settings/security", { form: { intent: "totp-confirm", code: "000000" }, cookie }));
    expect(limited.status).toBe(429);
    const counters = await db()
      .selectFrom("rate_limit_counters")
      .select(["key"])
      .where("key", "like", `%secondFactor%${user.id}%`)
      .execute();
    expect(counters).toHaveLength(0);
  });
});
