/** The operator's commands (see index.ts); each takes the database and its arguments. */
import { sql } from "kysely";
import { config } from "~/web/config.server";
import type { Database } from "~db/index";
import { seedDefaultBoards } from "~db/seed";
import type { Role } from "~db/types";
import { accountsConfusableWith, createUser, listStaff, setRole, usernameProblem } from "~/models/users.server";
import { scanStoredSecrets } from "~/models/safety.server";
import { signupSchema } from "~/web/schemas";
import { reindexAll } from "~/models/search.server";
import { reindexFaq } from "~/models/faq-search.server";
import { deliver } from "~/server/mail.server";
import { recountReputation } from "~/models/votes.server";

export type Command = { usage: string; help: string; run: (db: Database, args: string[]) => Promise<void> };

const ROLES: Role[] = ["user", "moderator", "admin"];

/** Commands by name. Later features add theirs here (reputation:recount, search:reindex, secrets:scan…). */
export const commands: Record<string, Command> = {
  "user:create": {
    usage: "user:create <username> <email> [--role user|moderator|admin] [--force]   (password read from QUORUM_PASSWORD or prompted)",
    help: "Creates an account.",
    run: async (db, args) => {
      const roleIdx = args.indexOf("--role");
      const role = (roleIdx >= 0 ? args[roleIdx + 1] : "user") as Role;
      if (!ROLES.includes(role)) throw new Error(`role must be one of ${ROLES.join(", ")}`);
      // Positional arguments are those that are neither flags nor a flag's value.
      const [username, email] = args.filter((a, i) => !a.startsWith("--") && !(roleIdx >= 0 && i === roleIdx + 1));
      // Name and address are checked before the password is asked for.
      const identity = signupSchema.pick({ username: true, email: true }).safeParse({ username, email });
      if (!identity.success) throw new Error(identity.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      await assertNameSafe(db, identity.data.username, role, args.includes("--force"));
      const password = process.env.QUORUM_PASSWORD ?? (await prompt("password (≥ 10 characters): "));
      const parsed = signupSchema.safeParse({ username, email, password });
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      // The operator vouches for the address of accounts made here.
      const user = await createUser(db, { ...parsed.data, role, emailVerified: true });
      console.log(`created ${user.username} (id ${user.id}, ${role})`);
    },
  },
  "user:role": {
    usage: "user:role <username> <user|moderator|admin> [--force]",
    help: "Sets an account's role (staff are moderators and admins). Refuses to promote a name another account looks like, unless --force.",
    run: async (db, args) => {
      const [username, role] = args.filter((a) => !a.startsWith("--"));
      if (!username || !ROLES.includes(role as Role)) throw new Error(`usage: ${commands["user:role"].usage}`);
      await assertNameSafe(db, username, role as Role, args.includes("--force"));
      const user = await setRole(db, username, role as Role);
      console.log(`${user.username} is now ${user.role}`);
    },
  },
  "staff:list": {
    usage: "staff:list",
    help: "Lists moderators and admins.",
    run: async (db) => {
      const staff = await listStaff(db);
      if (staff.length === 0) console.log("no staff accounts");
      for (const s of staff) console.log(`${s.role.padEnd(10)} ${s.username}`);
    },
  },
  "search:reindex": {
    usage: "search:reindex [--batch N]",
    help: "Rebuilds every thread's search vector (title, question, answers), N threads per transaction (default 200), then every FAQ entry's.",
    run: async (db, args) => {
      const i = args.indexOf("--batch");
      const batch = i >= 0 ? Number(args[i + 1]) : 200;
      if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) throw new Error("--batch must be an integer between 1 and 10000");
      const n = await reindexAll(db, { batch, onProgress: (done) => process.stdout.write(`\rindexed ${done} threads`) });
      await sql`analyze threads`.execute(db); // fresh statistics, so the planner picks the GIN indexes
      console.log(`\rreindexed ${n} threads`);
      const f = await reindexFaq(db);
      console.log(`reindexed ${f} FAQ entries`);
    },
  },
  "secrets:scan": {
    usage: "secrets:scan",
    help:
      "Finds stored recovery phrases and private keys: hides posts and threads (titles), redacts kept revisions, masks them in slugs, " +
      "FAQ entries and their versions, report notes, moderators' reasons, audit details and FAQ feedback; idempotent, prints counts only.",
    run: async (db) => {
      const r = await scanStoredSecrets(db);
      console.log(
        `posts: ${r.postsScanned} scanned, ${r.postsHidden} hidden; ` +
          `threads: ${r.threadsScanned} scanned, ${r.threadsHidden} hidden; address flags fixed: ${r.addressFlagsFixed}`,
      );
      for (const [kind, c] of Object.entries(r.kinds)) console.log(`${kind}: ${c.scanned} scanned, ${c.fixed} ${kind === "revisions" ? "redacted" : "masked"}`);
    },
  },
  "user:2fa-off": {
    usage: "user:2fa-off <username>",
    help: "Turns two-factor sign-in off for an account that lost its phone and recovery codes (check who asks first!).",
    run: async (db, [username]) => {
      if (!username) throw new Error(`usage: ${commands["user:2fa-off"].usage}`);
      const row = await db
        .updateTable("users")
        .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null })
        .where(sql`lower(username)`, "=", username.toLowerCase())
        .returning("id")
        .executeTakeFirst();
      if (!row) throw new Error("no such user");
      await db.deleteFrom("recovery_codes").where("user_id", "=", row.id).execute();
      console.log(`two-factor sign-in is off for ${username}`);
    },
  },
  "mail:test": {
    usage: "mail:test <address>",
    help: "Sends a test message through SMTP_URL (or into the dev outbox when it is not set).",
    run: async (db, [to]) => {
      if (!to) throw new Error(`usage: ${commands["mail:test"].usage}`);
      await deliver(db, { to, subject: "Quorum mail test", text: "It works.\n", html: "<p>It works.</p>" });
      console.log(config().SMTP_URL ? `sent to ${to} through SMTP` : `queued for ${to} in the dev outbox`);
    },
  },
  "reputation:recount": {
    usage: "reputation:recount [--dry-run]",
    help: "Recomputes every user's reputation from the votes and acceptances, reports differences and fixes them (not with --dry-run).",
    run: async (db, args) => {
      const dry = args.includes("--dry-run");
      const diffs = await recountReputation(db, { fix: !dry });
      if (diffs.length === 0) {
        console.log("reputation: all figures match the recount");
        return;
      }
      for (const d of diffs) {
        console.log(`${d.username.padEnd(32)} stored ${d.stored} (raw ${d.storedRaw}) → recounted ${d.expected} (raw ${d.expectedRaw})`);
      }
      console.log(`${diffs.length} user(s) differ${dry ? " (dry run: nothing written)" : "; fixed"}`);
    },
  },
  "boards:seed": {
    usage: "boards:seed",
    help: "Adds any missing default board (idempotent).",
    run: async (db) => {
      console.log(`added ${await seedDefaultBoards(db)} boards`);
    },
  },
};

/**
 * Staff cannot be imitated, so the operator's commands apply the sign-up rules too:
 *  - a regular account gets the sign-up check (no reserved word, not confusable with staff);
 *  - a staff account (created or promoted) may carry reserved words ("support_li"), but no OTHER
 *    account may already look like it — otherwise that account would pass for the new staff member.
 * `--force` skips the check (and says so).
 */
async function assertNameSafe(db: Database, username: string, role: Role, force: boolean) {
  const existing = await db.selectFrom("users").select("id").where(sql`lower(username)`, "=", username.toLowerCase()).executeTakeFirst();
  let problem: string | null = null;
  if (role === "user") {
    if (!existing) {
      const p = await usernameProblem(db, username);
      if (p) problem = p.code === "reserved" ? `contains the reserved word "${p.word}"` : `is confusable with staff account "${p.with}"`;
    }
  } else {
    const lookAlikes = await accountsConfusableWith(db, username, existing?.id);
    if (lookAlikes.length > 0) problem = `is confusable with existing account(s): ${lookAlikes.join(", ")}`;
  }
  if (!problem) return;
  if (!force) throw new Error(`"${username}" ${problem} (use --force to go ahead anyway)`);
  console.warn(`warning: "${username}" ${problem}; going ahead (--force)`);
}

async function prompt(question: string): Promise<string> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    // Without a terminal (stdin closed) the question would never be answered: say so and stop.
    const closed = new Promise<never>((_, reject) =>
      rl.once("close", () => reject(new Error("no password given: set QUORUM_PASSWORD or run the command in a terminal"))),
    );
    return await Promise.race([rl.question(question), closed]);
  } finally {
    rl.close();
  }
}
