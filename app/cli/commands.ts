/** The operator's commands (see index.ts); each takes the database and its arguments. */
import type { Database } from "~db/index";
import { seedDefaultBoards } from "~db/seed";
import type { Role } from "~db/types";
import { createUser, listStaff, setRole } from "~/models/users.server";
import { signupSchema } from "~/lib/schemas";
import { recountReputation } from "~/models/votes.server";

export type Command = { usage: string; help: string; run: (db: Database, args: string[]) => Promise<void> };

const ROLES: Role[] = ["user", "moderator", "admin"];

/** Commands by name. Later features add theirs here (reputation:recount, search:reindex, secrets:scan…). */
export const commands: Record<string, Command> = {
  "user:create": {
    usage: "user:create <username> <email> [--role user|moderator|admin]   (password read from QUORUM_PASSWORD or prompted)",
    help: "Creates an account.",
    run: async (db, args) => {
      const [username, email] = args.filter((a) => !a.startsWith("--"));
      const roleIdx = args.indexOf("--role");
      const role = (roleIdx >= 0 ? args[roleIdx + 1] : "user") as Role;
      if (!ROLES.includes(role)) throw new Error(`role must be one of ${ROLES.join(", ")}`);
      const password = process.env.QUORUM_PASSWORD ?? (await prompt("password (≥ 10 characters): "));
      const parsed = signupSchema.safeParse({ username, email, password });
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      const user = await createUser(db, { ...parsed.data, role });
      console.log(`created ${user.username} (id ${user.id}, ${role})`);
    },
  },
  "user:role": {
    usage: "user:role <username> <user|moderator|admin>",
    help: "Sets an account's role (staff are moderators and admins).",
    run: async (db, [username, role]) => {
      if (!username || !ROLES.includes(role as Role)) throw new Error(`usage: ${commands["user:role"].usage}`);
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

async function prompt(question: string): Promise<string> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
