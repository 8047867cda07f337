import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import type { TestProject } from "vitest/node";
import { startMailCatcher } from "./mail";
import { freePort } from "../support/free-port";
import { startNodeFlags } from "../support/start-flags";
import { freshServerDatabase } from "../support/server-db";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    e2eDatabaseUrl: string;
    e2eDataDir: string;
    /** An admin account created before the server starts (look-alike names must be refused). */
    e2eStaffName: string;
    /** Where the SMTP catcher writes the mail the server sends (see mail.ts). */
    e2eMailDir: string;
    /** A moderator account created before the server starts (staff cannot sign up). */
    e2eStaff: { username: string; password: string };
  }
}

async function waitFor(url: string, child: ChildProcess, seconds: number) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the server did not answer ${url} within ${seconds}s`);
}

/**
 * Starts `npm start`'s server (building first if needed) against a fresh database: a new PGlite
 * folder, or with DATABASE_URL a new PostgreSQL database on that server.
 */
export default async function setup(project: TestProject) {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    QUORUM_INSECURE_COOKIES: "1",
    QUORUM_ACCESS_LOG: "0",
    // The e2e moderator/admin are made by the CLI without two-factor sign-in; staff pages would send
    // them to enrol first (tested in tests/integration/account.test.ts and faq.test.ts).
    QUORUM_STAFF_REQUIRE_2FA: "0",
    // Rate limits stay on (tests/e2e/ratelimit.e2e.ts hits the per-account login and the new-account
    // answer limits with their defaults), except two that the suite as a whole would trip: every
    // browser signs up from 127.0.0.1, and some scenarios ask several questions with a new account.
    QUORUM_RATE_LIMIT_SIGNUP_PER_IP: "1000/3600",
    QUORUM_RATE_LIMIT_THREAD_PER_NEW_USER: "20/600",
  };
  // Mail goes over real SMTP to an in-process catcher (account e-mails: verification, reset…).
  const mail = await startMailCatcher();
  env.SMTP_URL = mail.url;
  env.MAIL_FROM = "Quorum <no-reply@quorum.test>";
  const database = await freshServerDatabase("quorum-e2e", env);
  const dataDir = database.dataDir;
  // A staff account, made with the operator's command on the same database before the server opens it.
  const staffName = "meilin";
  const made = spawnSync(
    process.execPath,
    ["--import", "tsx", "app/cli/index.ts", "user:create", staffName, `${staffName}@example.com`, "--role", "admin"],
    { env: { ...env, QUORUM_PASSWORD: "a long enough password" }, stdio: ["ignore", "ignore", "inherit"] },
  );
  if (made.status !== 0) throw new Error(`user:create ${staffName} failed (${made.status})`);
  project.provide("e2eStaffName", staffName);
  // The staff account, made with the operator's CLI on the same database before the server owns it.
  const staff = { username: "e2emod", password: "moderator password 1" };
  execFileSync(process.execPath, ["--import", "tsx", "app/cli/index.ts", "user:create", staff.username, `${staff.username}@example.com`, "--role", "moderator"], {
    env: { ...env, QUORUM_PASSWORD: staff.password },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const child = spawn(process.execPath, [...startNodeFlags(), "app/server/start.mjs"], { env, stdio: ["ignore", "inherit", "inherit"] });
  const baseURL = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${baseURL}/healthz`, child, 170);
  } catch (e) {
    // Nothing left running to keep vitest from exiting: the server and the mail catcher.
    child.kill("SIGTERM");
    await mail.close();
    throw e;
  }
  project.provide("baseURL", baseURL);
  project.provide("e2eDatabaseUrl", env.DATABASE_URL ?? "");
  project.provide("e2eDataDir", dataDir);
  project.provide("e2eMailDir", mail.dir);
  project.provide("e2eStaff", staff);
  return async () => {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r).once("error", r));
    await mail.close();
    await database.drop();
  };
}
