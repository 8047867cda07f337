import { redirect } from "@remix-run/node";
import type { Session, User } from "lucia";
import type { Actor } from "~/policy/policy";
import { denyReason, needsStaffEnrolment, type PolicyRequest } from "~/policy/policy";
import { forbidden, loginRedirect } from "~/web/http.server";
import { requestMemo } from "~/web/request-scope.server";
import { lucia } from "./lucia.server";
import { config } from "~/web/config.server";

export type AuthState = { user: User | null; session: Session | null; setCookie: string | null };

// One session lookup per request, however many loaders ask (root and route loaders share the Request).
const cache = new WeakMap<Request, Promise<AuthState>>();

async function load(request: Request): Promise<AuthState> {
  const sessionId = lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return { user: null, session: null, setCookie: null };
  const { user, session } = await lucia.validateSession(sessionId);
  if (!session) {
    return { user: null, session: null, setCookie: lucia.createBlankSessionCookie().serialize() };
  }
  // Sliding expiry: a session past half its life was just extended; send the new expiry.
  const setCookie = session.fresh ? lucia.createSessionCookie(session.id).serialize() : null;
  return { user, session, setCookie };
}

export function getAuth(request: Request): Promise<AuthState> {
  let pending = cache.get(request);
  if (!pending) {
    // GET/HEAD: the loaders of one page share one lookup through the request scope (they get copies
    // of the Request). Never for writes: an action may log in or out before the loaders run again.
    const method = request.method.toUpperCase();
    pending =
      method === "GET" || method === "HEAD"
        ? requestMemo(`auth\n${request.headers.get("Cookie") ?? ""}`, () => load(request))
        : load(request);
    cache.set(request, pending);
  }
  return pending;
}

export async function getUser(request: Request): Promise<User | null> {
  return (await getAuth(request)).user;
}

/** Whether starting threads (and, later, reporting) needs a verified e-mail address (default on). */
export function requireVerifiedToAsk(): boolean {
  return config().QUORUM_REQUIRE_VERIFIED_TO_ASK;
}

/** Whether staff must have two-factor sign-in on before any staff page works (default on). */
export function staffRequire2fa(): boolean {
  return config().QUORUM_STAFF_REQUIRE_2FA;
}

export function toActor(user: User | null): Actor {
  return user
    ? {
        id: user.id,
        role: user.role,
        suspendedUntil: user.suspendedUntil,
        emailVerified: user.emailVerified || !requireVerifiedToAsk(),
        twoFactor: user.twoFactor,
        staffRequire2fa: staffRequire2fa(),
      }
    : null;
}

/** The logged-in user, or a redirect to the login page that comes back here afterwards. */
export async function requireUser(request: Request, back?: string): Promise<User> {
  const user = await getUser(request);
  if (!user) loginRedirect(request, back);
  return user;
}

/**
 * Asks the policy; a logged-out visitor is sent to log in, anyone else refused gets a 403 with the
 * reason's translation key.
 */
export async function authorize(request: Request, req: PolicyRequest, back?: string): Promise<User> {
  const user = await getUser(request);
  const reason = denyReason(toActor(user), req);
  if (reason === "login") loginRedirect(request, back);
  if (reason === "enrolTwoFactor") throw redirect(STAFF_ENROL_PATH);
  if (reason) forbidden(reason);
  return user!;
}

/** Where a staff member without two-factor sign-in enrols (while the site requires it). */
export const STAFF_ENROL_PATH = "/settings/security?required=staff";

/**
 * For every /staff/* loader and action: the user must be logged in (else sent to log in), have staff
 * powers (else 403); a staff member who only lacks two-factor sign-in is sent to enrol first.
 */
export function requireStaff(request: Request): Promise<User> {
  return authorize(request, { action: "staff.access" });
}

/** Where a fresh sign-in goes: staff without two-factor sign-in enrol first, everyone else where they were going. */
export function afterLoginPath(user: { role: User["role"]; suspendedUntil: Date | null; twoFactor: boolean }, redirectTo: string): string {
  const actor = { id: 0, role: user.role, suspendedUntil: user.suspendedUntil, emailVerified: true, twoFactor: user.twoFactor, staffRequire2fa: staffRequire2fa() };
  return needsStaffEnrolment(actor) ? STAFF_ENROL_PATH : redirectTo;
}

export async function startSession(userId: number, request: Request, redirectTo: string, extraCookies: string[] = []) {
  const session = await lucia.createSession(userId, {
    ip: clientIp(request),
    user_agent: request.headers.get("User-Agent")?.slice(0, 400) ?? null,
  });
  const headers = new Headers();
  headers.append("Set-Cookie", lucia.createSessionCookie(session.id).serialize());
  for (const c of extraCookies) headers.append("Set-Cookie", c);
  return redirect(redirectTo, { headers });
}

// ---- The pending second step of a sign-in (password passed, code not yet) ----

export const PENDING_LOGIN_COOKIE = "quorum_2fa";

function cookieSecure(): boolean {
  return config().secureCookies;
}

/**
 * The pending-login token travels in an HttpOnly cookie limited to /login; the database keeps only its
 * hash (account_tokens, purpose login_2fa, 10 minutes). No Lucia session exists until the code passes.
 */
export function pendingLoginCookie(token: string): string {
  return `${PENDING_LOGIN_COOKIE}=${token}; Path=/login; HttpOnly; SameSite=Lax; Max-Age=600${cookieSecure() ? "; Secure" : ""}`;
}

export function clearPendingLoginCookie(): string {
  return `${PENDING_LOGIN_COOKIE}=; Path=/login; HttpOnly; SameSite=Lax; Max-Age=0${cookieSecure() ? "; Secure" : ""}`;
}

export function readPendingLoginToken(request: Request): string | null {
  const header = request.headers.get("Cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === PENDING_LOGIN_COOKIE) return rest.join("=") || null;
  }
  return null;
}

export async function endSession(request: Request, redirectTo = "/") {
  const { session } = await getAuth(request);
  if (session) await lucia.invalidateSession(session.id);
  return redirect(redirectTo, { headers: { "Set-Cookie": lucia.createBlankSessionCookie().serialize() } });
}

/** The client address: the socket's, or X-Forwarded-For's first hop behind a trusted proxy. */
export function clientIp(request: Request): string | null {
  if (config().QUORUM_TRUST_PROXY) {
    const forwarded = request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return request.headers.get("X-Quorum-Client-Ip") ?? null;
}
