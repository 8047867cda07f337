import { describe, expect, it } from "vitest";
import {
  canSeePost,
  canSeePostBody,
  canSeeReport,
  canSeeThread,
  canSeeThreadTitle,
  canRedactRevision,
  canViewEditHistory,
  denyReason,
  hasAdminPowers,
  hasStaffPowers,
  needsStaffEnrolment,
  type Actor,
  type PolicyRequest,
  type SeenSubject,
} from "../../app/policy/policy";

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


describe("staff powers: staff role, not suspended, two-factor sign-in while required", () => {
  const base = { emailVerified: true, suspendedUntil: null, staffRequire2fa: true };
  const cases: [string, Actor, { staff: boolean; admin: boolean; enrol: boolean }][] = [
    ["anonymous", null, { staff: false, admin: false, enrol: false }],
    ["user with 2FA", { id: 1, role: "user", twoFactor: true, ...base }, { staff: false, admin: false, enrol: false }],
    ["moderator with 2FA", { id: 3, role: "moderator", twoFactor: true, ...base }, { staff: true, admin: false, enrol: false }],
    ["moderator without 2FA", { id: 3, role: "moderator", twoFactor: false, ...base }, { staff: false, admin: false, enrol: true }],
    ["suspended moderator with 2FA", { id: 3, role: "moderator", twoFactor: true, ...base, suspendedUntil: future }, { staff: false, admin: false, enrol: false }],
    ["admin without 2FA", { id: 4, role: "admin", twoFactor: false, ...base }, { staff: false, admin: false, enrol: true }],
    ["admin with 2FA", { id: 4, role: "admin", twoFactor: true, ...base }, { staff: true, admin: true, enrol: false }],
    ["moderator without 2FA, site rule off", { id: 3, role: "moderator", twoFactor: false, ...base, staffRequire2fa: false }, { staff: true, admin: false, enrol: false }],
  ];
  it.each(cases)("%s", (_name, actor, expected) => {
    expect({ staff: hasStaffPowers(actor), admin: hasAdminPowers(actor), enrol: needsStaffEnrolment(actor) }).toEqual(expected);
  });

  const noTwoFactor: Record<string, Actor> = {
    moderator: { id: 3, role: "moderator", suspendedUntil: null, emailVerified: true, twoFactor: false, staffRequire2fa: true },
    admin: { id: 4, role: "admin", suspendedUntil: null, emailVerified: true, twoFactor: false, staffRequire2fa: true },
  };
  it.each(Object.entries(noTwoFactor))("a %s without 2FA is a regular user for every action, and is sent to enrol by staff pages", (_name, actor) => {
    for (const [label, req] of table) {
      if (req.action === "staff.access" || req.action === "admin.access") continue; // below
      expect([label, denyReason(actor, req)]).toEqual([label, denyReason({ ...actor!, role: "user" }, req)]);
    }
    expect(denyReason(actor, { action: "staff.access" })).toBe("enrolTwoFactor");
    expect(denyReason(actor, { action: "admin.access" })).toBe(actor!.role === "admin" ? "enrolTwoFactor" : "forbidden");
  });
});

describe("may see: every read rule × {anonymous, user, author, moderator, admin, moderator without 2FA}", () => {
  const readers: [string, Actor][] = [
    ["anonymous", null],
    ["user", actors.user],
    ["author", actors.author],
    ["moderator", actors.moderator],
    ["admin", actors.admin],
    ["moderator without 2FA", { ...actors.moderator!, twoFactor: false }],
  ];
  const at = new Date();
  const subject = (state: "public" | "hidden" | "deleted" | "secret"): SeenSubject => ({
    author_id: 2,
    hidden_at: state === "hidden" || state === "secret" ? at : null,
    hidden_reason: state === "secret" ? "system:secret" : state === "hidden" ? "spam" : null,
    deleted_at: state === "deleted" ? at : null,
  });
  const open = subject("public");
  const y = true;
  const n = false;
  // Columns follow `readers`.
  const rules: [string, (a: Actor) => boolean, boolean[]][] = [
    ["public thread: page", (a) => canSeeThread(a, open), [y, y, y, y, y, y]],
    ["hidden thread: page", (a) => canSeeThread(a, subject("hidden")), [n, n, y, y, y, n]],
    ["deleted thread: page", (a) => canSeeThread(a, subject("deleted")), [n, n, n, y, y, n]],
    ["secret-hidden thread: page", (a) => canSeeThread(a, subject("secret")), [n, n, y, y, y, n]],
    ["hidden thread: title", (a) => canSeeThreadTitle(a, subject("hidden")), [n, n, y, y, y, n]],
    ["secret-hidden thread: title", (a) => canSeeThreadTitle(a, subject("secret")), [n, n, n, n, n, n]],
    ["hidden post: listed", (a) => canSeePost(a, subject("hidden"), open), [y, y, y, y, y, y]],
    ["deleted post: listed", (a) => canSeePost(a, subject("deleted"), open), [n, n, n, y, y, n]],
    ["hidden post: body", (a) => canSeePostBody(a, subject("hidden"), open), [n, n, y, y, y, n]],
    ["secret-hidden post: body", (a) => canSeePostBody(a, subject("secret"), open), [n, n, n, n, n, n]],
    ["post in a hidden thread: body", (a) => canSeePostBody(a, open, subject("hidden")), [n, n, y, y, y, n]],
    ["public post: history", (a) => canViewEditHistory(a, open, open), [y, y, y, y, y, y]],
    ["hidden post: history", (a) => canViewEditHistory(a, subject("hidden"), open), [n, n, n, y, y, n]],
    ["deleted post: history", (a) => canViewEditHistory(a, subject("deleted"), open), [n, n, n, y, y, n]],
    ["secret-hidden post: history", (a) => canViewEditHistory(a, subject("secret"), open), [n, n, n, n, n, n]],
    ["post of a secret-hidden thread: history", (a) => canViewEditHistory(a, open, subject("secret")), [n, n, n, y, y, n]],
    ["redact a version of the post", (a) => canRedactRevision(a, open), [n, n, y, y, y, n]],
    ["redact a version while suspended", (a) => canRedactRevision(a && { ...a, suspendedUntil: future }, open), [n, n, n, n, n, n]],
    ["a report the author filed: queue / my reports", (a) => canSeeReport(a, { reporter_id: 2 }), [n, n, y, y, y, n]],
  ];
  for (const [label, rule, expected] of rules) {
    it(label, () => {
      expect(readers.map(([name, a]) => [name, rule(a)])).toEqual(readers.map(([name], i) => [name, expected[i]]));
    });
  }
});
