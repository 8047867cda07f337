import { describe, expect, it } from "vitest";
import { action as signupAction } from "../../app/routes/signup";
import { action as loginAction } from "../../app/routes/login";
import { action as logoutAction } from "../../app/routes/logout";
import { loader as rootLoader } from "../../app/root";
import { useTestDb } from "../support/db";
import { call, loginCookie, makeRequest } from "../support/http";
import { makeUser, PASSWORD } from "../support/factories";

const db = useTestDb();

function cookieOf(headers: Headers): string {
  return (headers.get("Set-Cookie") ?? "").split(";")[0];
}

describe("sign up", () => {
  it("creates the account with an argon2id hash, logs in and goes back", async () => {
    const res = await call(
      signupAction,
      makeRequest("/signup", { form: { username: "Alice_1", email: "alice@example.com", password: "a long password", redirectTo: "/b/account" } }),
    );
    expect(res.status).toBe(302);
    expect(res.location).toBe("/b/account");
    const setCookie = res.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^quorum_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const user = await db().selectFrom("users").selectAll().where("username", "=", "Alice_1").executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(user.role).toBe("user");
    const sessions = await db().selectFrom("user_sessions").selectAll().where("user_id", "=", user.id).execute();
    expect(sessions).toHaveLength(1);
    // The cookie logs the visitor in.
    const root = await call(rootLoader, makeRequest("/", { cookie: cookieOf(res.headers) }));
    expect(root.data.user.username).toBe("Alice_1");
  });

  it("refuses a username taken in another case, and a taken e-mail, keeping the text", async () => {
    await makeUser(db(), { username: "BobSmith" });
    const res = await call(signupAction, makeRequest("/signup", { form: { username: "bobsmith", email: "other@example.com", password: "a long password" } }));
    expect(res.status).toBe(409);
    expect(res.data.errors.username.key).toBe("validation.usernameTaken");
    expect(res.data.values.username).toBe("bobsmith");
    const res2 = await call(signupAction, makeRequest("/signup", { form: { username: "bob2", email: "BOBSMITH@example.com", password: "a long password" } }));
    expect(res2.status).toBe(409);
    expect(res2.data.errors.email.key).toBe("validation.emailTaken");
    const count = await db().selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).where("username", "ilike", "bob%").executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it.each([
    [{ username: "", email: "x@example.com", password: "a long password" }, "username", "validation.required"],
    [{ username: "ab", email: "x@example.com", password: "a long password" }, "username", "validation.tooShort"],
    [{ username: "a".repeat(33), email: "x@example.com", password: "a long password" }, "username", "validation.tooLong"],
    [{ username: "bad name!", email: "x@example.com", password: "a long password" }, "username", "validation.usernameChars"],
    [{ username: "用户名字", email: "x@example.com", password: "a long password" }, "username", "validation.usernameChars"],
    [{ username: "carol", email: "not-an-email", password: "a long password" }, "email", "validation.emailInvalid"],
    [{ username: "carol", email: "c@example.com", password: "short" }, "password", "validation.tooShort"],
    [{ username: "carol", email: "c@example.com", password: "x".repeat(300) }, "password", "validation.tooLong"],
  ])("refuses bad input %#", async (form, field, key) => {
    const res = await call(signupAction, makeRequest("/signup", { form }));
    expect(res.status).toBe(400);
    expect(res.data.errors[field].key).toBe(key);
    expect(res.data.values.password).toBeUndefined(); // passwords are never echoed
    const row = await db().selectFrom("users").select("id").where("email", "=", form.email).executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it("answers a filled honeypot with a failure and creates nothing", async () => {
    const res = await call(signupAction, makeRequest("/signup", { form: { username: "botty", email: "bot@example.com", password: "a long password", website: "http://spam" } }));
    expect(res.status).toBe(400);
    expect(await db().selectFrom("users").select("id").where("username", "=", "botty").executeTakeFirst()).toBeUndefined();
  });

  it("refuses a form posted from another site", async () => {
    const res = await call(
      signupAction,
      makeRequest("/signup", { form: { username: "evil1", email: "e@example.com", password: "a long password" }, headers: { Origin: "https://evil.example" } }),
    );
    expect(res.status).toBe(403);
    expect(await db().selectFrom("users").select("id").where("username", "=", "evil1").executeTakeFirst()).toBeUndefined();
  });
});

describe("log in and out", () => {
  it("logs in with the username in any case or with the e-mail", async () => {
    const u = await makeUser(db(), { username: "DaveLogin" });
    for (const login of ["DaveLogin", "davelogin", "DaveLogin@example.com", "davelogin@EXAMPLE.com"]) {
      const res = await call(loginAction, makeRequest("/login", { form: { login, password: PASSWORD, redirectTo: "/t/1/x" } }));
      expect(res.status, login).toBe(302);
      expect(res.location).toBe("/t/1/x");
    }
    const sessions = await db().selectFrom("user_sessions").select("id").where("user_id", "=", u.id).execute();
    expect(sessions).toHaveLength(4);
  });

  it("gives one generic message for a wrong password and for an unknown account", async () => {
    await makeUser(db(), { username: "erin" });
    const wrong = await call(loginAction, makeRequest("/login", { form: { login: "erin", password: "wrong password!" } }));
    const unknown = await call(loginAction, makeRequest("/login", { form: { login: "nobody-here", password: "wrong password!" } }));
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.data.errors).toEqual(unknown.data.errors);
    expect(wrong.data.errors._form.key).toBe("auth.wrongCredentials");
  });

  it("never redirects to another site after logging in", async () => {
    await makeUser(db(), { username: "frank" });
    for (const redirectTo of ["https://evil.example/", "//evil.example", "/\\evil.example"]) {
      const res = await call(loginAction, makeRequest("/login", { form: { login: "frank", password: PASSWORD, redirectTo } }));
      expect(res.location).toBe("/");
    }
  });

  it("logs out with a POST that ends the session", async () => {
    const u = await makeUser(db());
    const cookie = await loginCookie(u.id);
    const res = await call(logoutAction, makeRequest("/logout", { method: "POST", form: {}, cookie }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Set-Cookie")).toMatch(/quorum_session=;/);
    const sessions = await db().selectFrom("user_sessions").select("id").where("user_id", "=", u.id).execute();
    expect(sessions).toHaveLength(0);
    const root = await call(rootLoader, makeRequest("/", { cookie }));
    expect(root.data.user).toBeNull();
  });
});
