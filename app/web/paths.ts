/** URLs of Quorum's pages, built in one place (slugs may hold Chinese: they are percent-encoded). */
export function threadPath(id: number, slug: string, opts: { page?: number; post?: number } = {}): string {
  const query = opts.page && opts.page > 1 ? `?page=${opts.page}` : "";
  const hash = opts.post ? `#post-${opts.post}` : "";
  return `/t/${id}/${encodeURIComponent(slug)}${query}${hash}`;
}

export function userPath(username: string): string {
  return `/u/${encodeURIComponent(username)}`;
}

export function loginPath(back: string): string {
  return `/login?redirectTo=${encodeURIComponent(back)}`;
}

export function faqPath(slug: string): string {
  return `/faq/${encodeURIComponent(slug)}`;
}
