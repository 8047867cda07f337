/**
 * The thread page as one viewer may see it (like Discourse's TopicView built for a guardian): the
 * thread, the page of posts, the counts, and the controls this viewer has — already fitted by the
 * policy (app/policy/policy.ts) and redacted in one place (fitThread/fitPost). The route renders it.
 */
import type { Database } from "~db/index";
import { excerpt, hasUntrustedLink } from "~/content/markdown.server";
import { imitatesStaff } from "~/safety/names";
import { isVeteran } from "~/domain/reputation";
import { veteranThreshold } from "~/domain/reputation.server";
import { can, hasStaffPowers, isStaffRole, type Actor } from "~/policy/policy";
import { fitPost, fitThread } from "~/policy/visibility.server";
import { listBoardChoices } from "./boards.server";
import { getThread, getThreadPosts, listedAnswers, pageCount, ANSWERS_PER_PAGE, type AnswerSort } from "./threads.server";
import type { VoteValue } from "./votes.server";

export type ThreadPageInput = {
  id: number;
  page: number;
  sort: AnswerSort;
  viewer: Actor;
  /** The slug in the URL: when it is not the thread's, only the canonical slug is returned. */
  slug?: string;
};

type ThreadRow = NonNullable<Awaited<ReturnType<typeof getThread>>>;

/** A thread as the reply policy sees it (locked; closed as a duplicate; hidden or deleted). */
export function replySubject(thread: Pick<ThreadRow, "author_id" | "locked" | "closed_at" | "hidden_at" | "deleted_at">) {
  return { author_id: thread.author_id, locked: thread.locked, closed: !!thread.closed_at, removed: !!thread.hidden_at || !!thread.deleted_at };
}

/** A thread as acceptance sees it. */
export function acceptSubject(thread: Pick<ThreadRow, "author_id" | "accepted_post_id" | "accepted_by">) {
  return { author_id: thread.author_id, accepted_post_id: thread.accepted_post_id, accepted_by: thread.accepted_by };
}

/**
 * The page, `{ canonicalSlug }` when the URL's slug is not the thread's, or null when there is nothing
 * this viewer may see (no such thread, hidden or deleted from them, a page past the last).
 * Query budget (tests/integration/qa.test.ts): the thread and the posts — two queries whatever the
 * number of answers, votes and authors (staff with tools: one more for the board choices).
 */
export async function loadThreadPage(db: Database, input: ThreadPageInput): Promise<ThreadPage | { canonicalSlug: string } | null> {
  const row = await getThread(db, input.id);
  if (!row) return null;
  if (!fitThread(input.viewer, row)) return null;
  if (input.slug !== undefined && input.slug !== row.slug) return { canonicalSlug: row.slug };
  return pageOf(db, row, input);
}

export type ThreadPage = NonNullable<Awaited<ReturnType<typeof pageOf>>>;

async function pageOf(db: Database, row: ThreadRow, { page, sort, viewer }: ThreadPageInput) {
  const thread = fitThread(viewer, row)!;
  const staff = hasStaffPowers(viewer);
  // Readers page over every answer but deleted ones (hidden ones show a notice); staff over all.
  const pages = pageCount(listedAnswers(row.answer_slots, row.deleted_answers, staff));
  if (page > pages) return null;
  const { question, answers } = await getThreadPosts(db, row.id, page, {
    sort,
    viewerId: viewer?.id ?? null,
    acceptedPostId: row.accepted_post_id,
    verifiedPostId: row.verified_post_id,
    includeDeleted: staff,
    deletedAnswers: row.deleted_answers,
  });
  if (!question) return null;
  const threadSubject = replySubject(row);
  const accept = acceptSubject(row);
  const canModerate = can(viewer, { action: "thread.moderate" });
  const threshold = veteranThreshold();
  const view = <P extends (typeof answers)[number]>(p: P) => {
    const fitted = fitPost(viewer, p, row);
    if (!fitted) return null;
    const { body_opening, ...seen } = fitted;
    const removed = seen.hidden || seen.deleted;
    const notStaff = !isStaffRole(p.author_role);
    return {
      ...seen,
      my_vote: p.my_vote as VoteValue,
      // Readers of a post by someone without staff powers are warned about addresses and untrusted
      // links in it, and told it is not from staff when it opens like a staff message.
      addressWarning: p.has_address && notStaff,
      linkWarning: notStaff && hasUntrustedLink(seen.body_html),
      notStaffNotice: notStaff && seen.body_html !== "" && imitatesStaff(body_opening),
      canEdit: !removed && can(viewer, { action: "post.edit", post: p, thread: threadSubject }),
      canReport: !removed && can(viewer, { action: "report.create", post: p }),
      veteran: isVeteran(p.author_reputation, threshold) ? { threshold } : null,
    };
  };
  const canAccept = can(viewer, { action: "answer.accept", thread: accept });
  const visibleAnswers = answers.map(view).filter((a): a is NonNullable<typeof a> => a !== null);
  const shownQuestion = view(question)!;
  return {
    thread: {
      ...thread,
      // A hidden or deleted accepted/verified answer is not "accepted" for readers (the status agrees).
      ...(staff || row.accepted_public ? {} : { accepted_post_id: null, accepted_at: null, accepted_by: null, accepted_by_name: null }),
      ...(staff || row.verified_public ? {} : { verified_post_id: null, verified_at: null, verified_by: null, verified_by_name: null }),
    },
    threadHidden: thread.hidden,
    staffView: staff,
    canModerate,
    canModeratePosts: can(viewer, { action: "post.moderate" }),
    boards: canModerate ? await listBoardChoices(db) : [],
    page,
    pages,
    sort,
    perPage: ANSWERS_PER_PAGE,
    description: question.hidden_at || row.hidden_at ? "" : excerpt(question.body_html, 160),
    question: shownQuestion,
    answers: visibleAnswers,
    loggedIn: !!viewer,
    viewerId: viewer?.id ?? null,
    canAccept,
    onBehalf: canAccept && !!viewer && viewer.id !== row.author_id,
    canWithdraw: can(viewer, { action: "answer.withdraw", thread: accept }),
    canVerify: can(viewer, { action: "answer.verify", board: { needs_verification: row.board_needs_verification } }),
    acceptedByAsker: row.accepted_by !== null && row.accepted_by === row.author_id,
    canReply: viewer ? can(viewer, { action: "post.reply", thread: threadSubject }) : !row.locked && !row.closed_at,
    // The FAQ: the official entry's banner, staff's "Promote to FAQ", QAPage JSON-LD.
    faqSlug: row.faq_slug,
    canPromote: staff && row.faq_entry_id === null && !row.hidden_at && !row.deleted_at && row.reply_count > 0,
    faqEntryId: staff ? row.faq_entry_id : null,
    qaPage:
      row.hidden_at || question.hidden_at
        ? null
        : qaPageJsonLd(row, question, answers.filter((a) => !a.hidden_at && !a.deleted_at)),
  };
}

/** schema.org QAPage for a thread (https://developers.google.com/search/docs/appearance/structured-data/qapage). */
function qaPageJsonLd(
  thread: { title: string; reply_count: number; created_at: Date; accepted_post_id: number | null; verified_post_id: number | null },
  question: { body_html: string; author_name?: string | null; score?: number },
  answers: { id: number; body_html: string; score: number; created_at: Date }[],
) {
  const chosen = thread.verified_post_id ?? thread.accepted_post_id;
  const answer = (a: (typeof answers)[number]) => ({ "@type": "Answer", text: excerpt(a.body_html, 500), upvoteCount: a.score, dateCreated: a.created_at });
  const accepted = answers.find((a) => a.id === chosen);
  return {
    "@context": "https://schema.org",
    "@type": "QAPage",
    mainEntity: {
      "@type": "Question",
      name: thread.title,
      text: excerpt(question.body_html, 500),
      answerCount: thread.reply_count,
      dateCreated: thread.created_at,
      ...(accepted ? { acceptedAnswer: answer(accepted) } : {}),
      suggestedAnswer: answers.filter((a) => a.id !== chosen).slice(0, 5).map(answer),
    },
  };
}
