/**
 * One password sign-in attempt, with the limits that protect it. Two rules, so that nobody can lock
 * another person out of their account by typing wrong passwords for it:
 *
 * - Failures are LIMITED per account *and address* (`loginPerAccount`, kept per pair) and per address
 *   (`loginPerIp`): a guesser at one address is stopped, the owner at another is not.
 * - Failures for the account from everywhere (`loginAccountWide`) never lock it: past that allowance,
 *   each further attempt on the account waits a little longer (doubling from 250 ms up to 4 s) before
 *   the password is checked — a distributed guesser is slowed to a crawl, the owner waits seconds.
 * A successful sign-in clears the pair's and the account's failures.
 */
import type { Database } from "~db/index";
import { checkLoginPassword, findLoginAccount } from "./users.server";
import { consumeLimit, ipKey, limitSetting, peekLimit, resetLimit, spentPoints, type Limited } from "./ratelimit.server";

export const SLOWDOWN_BASE_MS = 250;
export const SLOWDOWN_MAX_MS = 4000;

export type LoginOutcome =
  | { ok: true; user: NonNullable<Awaited<ReturnType<typeof checkLoginPassword>>>; delayedMs: number }
  | { ok: false; limited: Limited | null; delayedMs: number };

/** The wait before checking a password, from the account's failures beyond its allowance. */
export function slowdownMs(failuresBeyond: number): number {
  if (failuresBeyond <= 0) return 0;
  return Math.min(SLOWDOWN_MAX_MS, SLOWDOWN_BASE_MS * 2 ** Math.min(failuresBeyond - 1, 10));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function attemptLogin(
  db: Database,
  input: { login: string; password: string; ip: string | null },
  opts: { sleep?: (ms: number) => Promise<void> } = {},
): Promise<LoginOutcome> {
  const account = await findLoginAccount(db, input.login);
  const ip = ipKey(input.ip);
  const pairKey = `${account.key}|${ip}`;
  const blocked = (await peekLimit(db, "loginPerAccount", pairKey)) ?? (await peekLimit(db, "loginPerIp", ip));
  if (blocked) return { ok: false, limited: blocked, delayedMs: 0 };
  const delayedMs = slowdownMs(await accountFailuresBeyond(db, account.key));
  if (delayedMs > 0) await (opts.sleep ?? sleep)(delayedMs);
  const user = await checkLoginPassword(account, input.password);
  if (!user) {
    await consumeLimit(db, "loginPerAccount", pairKey);
    await consumeLimit(db, "loginPerIp", ip);
    // Spends past the allowance on purpose: how far past it sets the next wait.
    await consumeLimit(db, "loginAccountWide", account.key);
    return { ok: false, limited: null, delayedMs };
  }
  await resetLimit(db, "loginPerAccount", pairKey);
  await resetLimit(db, "loginAccountWide", account.key);
  return { ok: true, user, delayedMs };
}

/** Which attempt past its allowance this one is (1 = the first beyond the account's free failures). */
async function accountFailuresBeyond(db: Database, accountKey: string): Promise<number> {
  const setting = limitSetting("loginAccountWide");
  if (!setting) return 0;
  const spent = await spentPoints(db, "loginAccountWide", accountKey);
  return spent >= setting.points ? spent - setting.points + 1 : 0;
}
