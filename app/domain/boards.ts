/** Board names and descriptions in the reader's language (used by pages in the browser too). */
export type BoardLike = { name_zh: string; name_en: string; description_zh?: string; description_en?: string };

export function boardName(board: BoardLike, locale: string): string {
  return locale === "en" ? board.name_en : board.name_zh;
}

export function boardDescription(board: BoardLike, locale: string): string {
  return (locale === "en" ? board.description_en : board.description_zh) ?? "";
}
