import { describe, expect, it } from "vitest";
import { denyReason, type Actor, type PolicyRequest } from "../../app/lib/policy";

const future = new Date(Date.now() + 86_400_000);
const actors: Record<string, Actor> = {
  anonymous: null,
  user: { id: 1, role: "user", suspendedUntil: null, emailVerified: true },
  author: { id: 2, role: "user", suspendedUntil: null, emailVerified: true },
  moderator: { id: 3, role: "moderator", suspendedUntil: null, emailVerified: true },
  admin: { id: 4, role: "admin", suspendedUntil: null, emailVerified: true },
  suspended: { id: 5, role: "user", suspendedUntil: future, emailVerified: true },
  expiredSuspension: { id: 6, role: "user", suspendedUntil: new Date(Date.now() - 1000), emailVerified: true },
  unverified: { id: 7, role: "user", suspendedUntil: null, emailVerified: false },
  unverifiedModerator: { id: 8, role: "moderator", suspendedUntil: null, emailVerified: false },
};
const open = { author_id: 2, locked: false };
const locked = { author_id: 2, locked: true };

// One row per action and situation; columns follow `actors`. null = allowed, else the reason.
const table: [string, PolicyRequest, (string | null)[]][] = [
  ["open a thread", { action: "thread.create", board: { staff_only: false } }, ["login", null, null, null, null, "suspended", null, "emailUnverified", null]],
  ["open on a staff board", { action: "thread.create", board: { staff_only: true } }, ["login", "boardStaffOnly", "boardStaffOnly", null, null, "suspended", "boardStaffOnly", "emailUnverified", null]],
  ["reply", { action: "post.reply", thread: open }, ["login", null, null, null, null, "suspended", null, null, null]],
  ["reply to a locked thread", { action: "post.reply", thread: locked }, ["login", "threadLocked", "threadLocked", null, null, "suspended", "threadLocked", "threadLocked", null]],
  ["edit own post", { action: "post.edit", post: { author_id: 2 }, thread: open }, ["login", "notYourPost", null, null, null, "suspended", "notYourPost", "notYourPost", null]],
  ["edit in a locked thread", { action: "post.edit", post: { author_id: 2 }, thread: locked }, ["login", "notYourPost", "threadLocked", null, null, "suspended", "notYourPost", "notYourPost", null]],
  ["staff pages", { action: "staff.access" }, ["login", "forbidden", "forbidden", null, null, "forbidden", "forbidden", "forbidden", null]],
];

describe("policy: every action × role", () => {
  for (const [label, req, expected] of table) {
    Object.keys(actors).forEach((name, i) => {
      it(`${label} — ${name}`, () => {
        expect(denyReason(actors[name], req)).toBe(expected[i]);
      });
    });
  }
});
