/** The board page's tabs (filters and sorts); shared by the route's component and the model. */
export const BOARD_TABS = ["activity", "newest", "top", "unanswered", "unsolved", "solved"] as const;
export type BoardTab = (typeof BOARD_TABS)[number];
/** "top" is paged by offset (a score changes under the reader; keyset on it is not stable): bounded. */
export const MAX_TOP_PAGES = 50;

export function parseBoardTab(raw: string | null): BoardTab {
  return (BOARD_TABS as readonly string[]).includes(raw ?? "") ? (raw as BoardTab) : "activity";
}
