import { describe, expect, it } from "vitest";
import { denyReason, type Actor, type PolicyRequest } from "../../app/policy/policy";

const future = new Date(Date.now() + 86_400_000);
const actors: Record<string, Actor> = {
  anonymous: null,
  user: { id: 1, role: "user", suspendedUntil: null, emailVerified: true, twoFactor: true, staffRequire2fa: true },
  author: { id: 2, role: "user", suspendedUntil: null, emailVerified: true, twoFactor: true, staffRequire2fa: true },
  moderator: { id: 3, role: "moderator", suspendedUntil: null, emailVerified: true, twoFactor: true, staffRequire2fa: true },
  admin: { id: 4, role: "admin", suspendedUntil: null, emailVerified: true, twoFactor: true, staffRequire2fa: true },
  suspended: { id: 5, role: "user", suspendedUntil: future, emailVerified: true, twoFactor: true, staffRequire2fa: true },
  expiredSuspension: { id: 6, role: "user", suspendedUntil: new Date(Date.now() - 1000), emailVerified: true, twoFactor: true, staffRequire2fa: true },
  unverified: { id: 7, role: "user", suspendedUntil: null, emailVerified: false, twoFactor: true, staffRequire2fa: true },
  unverifiedModerator: { id: 8, role: "moderator", suspendedUntil: null, emailVerified: false, twoFactor: true, staffRequire2fa: true },
};
const open = { author_id: 2, locked: false };
const locked = { author_id: 2, locked: true };
const closed = { author_id: 2, locked: false, closed: true };
const removed = { author_id: 2, locked: false, removed: true };

// One row per action and situation; columns follow `actors`. null = allowed, else the reason.
const table: [string, PolicyRequest, (string | null)[]][] = [
  ["open a thread", { action: "thread.create", board: { staff_only: false } }, ["login", null, null, null, null, "suspended", null, "emailUnverified", null]],
  ["open on a staff board", { action: "thread.create", board: { staff_only: true } }, ["login", "boardStaffOnly", "boardStaffOnly", null, null, "suspended", "boardStaffOnly", "emailUnverified", null]],
  ["reply", { action: "post.reply", thread: open }, ["login", null, null, null, null, "suspended", null, null, null]],
  ["reply to a locked thread", { action: "post.reply", thread: locked }, ["login", "threadLocked", "threadLocked", null, null, "suspended", "threadLocked", "threadLocked", null]],
  ["reply to a thread closed as a duplicate", { action: "post.reply", thread: closed }, ["login", "threadClosed", "threadClosed", "threadClosed", "threadClosed", "suspended", "threadClosed", "threadClosed", "threadClosed"]],
  ["reply to a hidden or deleted thread", { action: "post.reply", thread: removed }, ["login", "threadHidden", "threadHidden", "threadHidden", "threadHidden", "suspended", "threadHidden", "threadHidden", "threadHidden"]],
  ["moderate a thread (lock, pin, move, hide, delete, close)", { action: "thread.moderate" }, ["login", "staffOnly", "staffOnly", null, null, "suspended", "staffOnly", "staffOnly", null]],
  ["moderate a post (hide, delete, restore)", { action: "post.moderate" }, ["login", "staffOnly", "staffOnly", null, null, "suspended", "staffOnly", "staffOnly", null]],
  ["edit own post", { action: "post.edit", post: { author_id: 2 }, thread: open }, ["login", "notYourPost", null, null, null, "suspended", "notYourPost", "notYourPost", null]],
  ["edit in a locked thread", { action: "post.edit", post: { author_id: 2 }, thread: locked }, ["login", "notYourPost", "threadLocked", null, null, "suspended", "notYourPost", "notYourPost", null]],
  ["vote on another's post", { action: "post.vote", post: { author_id: 2 } }, ["login", null, "ownPost", null, null, "suspended", null, null, null]],
  ["vote on a staff member's post", { action: "post.vote", post: { author_id: 3 } }, ["login", null, null, "ownPost", null, "suspended", null, null, null]],
  ["accept (nothing accepted yet)", { action: "answer.accept", thread: { author_id: 2, accepted_post_id: null, accepted_by: null } }, ["login", "notAsker", null, null, null, "suspended", "notAsker", "notAsker", null]],
  ["accept over the asker's acceptance", { action: "answer.accept", thread: { author_id: 2, accepted_post_id: 9, accepted_by: 2 } }, ["login", "notAsker", null, "askerAccepted", "askerAccepted", "suspended", "notAsker", "notAsker", "askerAccepted"]],
  ["accept over staff's acceptance", { action: "answer.accept", thread: { author_id: 2, accepted_post_id: 9, accepted_by: 3 } }, ["login", "notAsker", null, null, null, "suspended", "notAsker", "notAsker", null]],
  ["withdraw the asker's acceptance", { action: "answer.withdraw", thread: { author_id: 2, accepted_post_id: 9, accepted_by: 2 } }, ["login", "notAsker", null, "askerAccepted", "askerAccepted", "suspended", "notAsker", "notAsker", "askerAccepted"]],
  ["withdraw staff's acceptance", { action: "answer.withdraw", thread: { author_id: 2, accepted_post_id: 9, accepted_by: 3 } }, ["login", "notAsker", null, null, null, "suspended", "notAsker", "notAsker", null]],
  ["withdraw when nothing is accepted", { action: "answer.withdraw", thread: { author_id: 2, accepted_post_id: null, accepted_by: null } }, ["login", "nothingAccepted", "nothingAccepted", "nothingAccepted", "nothingAccepted", "suspended", "nothingAccepted", "nothingAccepted", "nothingAccepted"]],
  ["verify on a board that needs it", { action: "answer.verify", board: { needs_verification: true } }, ["login", "staffOnly", "staffOnly", null, null, "suspended", "staffOnly", "staffOnly", null]],
  ["verify on an ordinary board", { action: "answer.verify", board: { needs_verification: false } }, ["login", "staffOnly", "staffOnly", "noVerification", "noVerification", "suspended", "staffOnly", "staffOnly", "noVerification"]],
  ["report another's post", { action: "report.create", post: { author_id: 2 } }, ["login", null, "ownPost", null, null, "suspended", null, "emailUnverified", null]],
  ["report a moderator's post", { action: "report.create", post: { author_id: 3 } }, ["login", null, null, "ownPost", null, "suspended", null, "emailUnverified", null]],
  ["resolve reports on another's post", { action: "report.resolve", reports: { post_author_id: 2, reporter_ids: [1] } }, ["login", "staffOnly", "staffOnly", null, null, "suspended", "staffOnly", "staffOnly", null]],
  ["resolve reports the moderator filed", { action: "report.resolve", reports: { post_author_id: 2, reporter_ids: [1, 3] } }, ["login", "staffOnly", "staffOnly", "ownReport", null, "suspended", "staffOnly", "staffOnly", null]],
  ["resolve reports the admin filed", { action: "report.resolve", reports: { post_author_id: 2, reporter_ids: [4] } }, ["login", "staffOnly", "staffOnly", null, "ownReport", "suspended", "staffOnly", "staffOnly", null]],
  ["resolve reports on the moderator's post", { action: "report.resolve", reports: { post_author_id: 3, reporter_ids: [1] } }, ["login", "staffOnly", "staffOnly", "ownPost", null, "suspended", "staffOnly", "staffOnly", null]],
  ["suspend a user", { action: "user.suspend", user: { id: 2, role: "user" } }, ["login", "staffOnly", "staffOnly", null, null, "suspended", "staffOnly", "staffOnly", null]],
  ["suspend a moderator", { action: "user.suspend", user: { id: 9, role: "moderator" } }, ["login", "staffOnly", "staffOnly", "targetModerator", null, "suspended", "staffOnly", "staffOnly", "targetModerator"]],
  ["suspend an admin", { action: "user.suspend", user: { id: 10, role: "admin" } }, ["login", "staffOnly", "staffOnly", "targetAdmin", "targetAdmin", "suspended", "staffOnly", "staffOnly", "targetAdmin"]],
  ["suspend oneself (moderator)", { action: "user.suspend", user: { id: 3, role: "moderator" } }, ["login", "staffOnly", "staffOnly", "self", null, "suspended", "staffOnly", "staffOnly", "targetModerator"]],
  ["suspend oneself (admin)", { action: "user.suspend", user: { id: 4, role: "admin" } }, ["login", "staffOnly", "staffOnly", "targetAdmin", "self", "suspended", "staffOnly", "staffOnly", "targetAdmin"]],
  ["staff pages", { action: "staff.access" }, ["login", "forbidden", "forbidden", null, null, "forbidden", "forbidden", "forbidden", null]],
  ["admin pages", { action: "admin.access" }, ["login", "forbidden", "forbidden", "forbidden", null, "forbidden", "forbidden", "forbidden", "forbidden"]],
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

describe("suspended staff", () => {
  const suspendedStaff: Record<string, Actor> = {
    moderator: { id: 3, role: "moderator", suspendedUntil: future, emailVerified: true, twoFactor: true, staffRequire2fa: true },
    admin: { id: 4, role: "admin", suspendedUntil: future, emailVerified: true, twoFactor: true, staffRequire2fa: true },
  };
  it.each(Object.entries(suspendedStaff))("a suspended %s keeps no powers: every staff action and page is refused", (_name, actor) => {
    for (const [, req] of table) {
      const reason = denyReason(actor, req);
      // Refused as suspended, or for a reason that holds for any staff member (e.g. a closed thread).
      expect(reason === "suspended" || reason === denyReason({ ...actor!, suspendedUntil: null }, req) && reason !== null).toBe(true);
    }
    expect(denyReason(actor, { action: "staff.access" })).toBe("suspended");
    expect(denyReason(actor, { action: "post.moderate" })).toBe("suspended");
  });
});

