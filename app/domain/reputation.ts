/** Reputation rules, in one place (the incremental updates and the recount both use them). */
export const REP = {
  questionUpvote: 5,
  answerUpvote: 10,
  downvote: -2,
  accepted: 15,
  acceptor: 2,
  verified: 15,
} as const;

/** What a vote of `value` (1, -1 or 0 for none) on a post is worth to the post's author. */
export function voteWorth(value: number, isQuestion: boolean): number {
  if (value > 0) return isQuestion ? REP.questionUpvote : REP.answerUpvote;
  if (value < 0) return REP.downvote;
  return 0;
}

/** The displayed figure: never below 1. */
export function clampReputation(raw: number): number {
  return Math.max(1, 1 + raw);
}

export const DEFAULT_VETERAN_REPUTATION = 500;

export function isVeteran(reputation: number | null | undefined, threshold: number): boolean {
  return typeof reputation === "number" && reputation > threshold;
}
