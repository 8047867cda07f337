import { describe, expect, it } from "vitest";
import { ANSWERS_PER_PAGE, postPath } from "../../app/models/threads.server";

describe("postPath (where a post is read)", () => {
  it("links the question and first-page answers to the thread's first page", () => {
    expect(postPath(7, "提现", 1)).toBe(`/t/7/${encodeURIComponent("提现")}#post-1`);
    expect(postPath(7, "slug", ANSWERS_PER_PAGE + 1)).toBe(`/t/7/slug#post-${ANSWERS_PER_PAGE + 1}`);
  });

  it("beyond the first page asks for date order, in which the page number holds", () => {
    expect(postPath(7, "slug", ANSWERS_PER_PAGE + 2)).toBe(`/t/7/slug?sort=date&page=2#post-${ANSWERS_PER_PAGE + 2}`);
  });

  it("counts only the answers the reader sees before it", () => {
    // Two earlier answers deleted: the reader sees 29 answers before post 32, so it is on page 1.
    expect(postPath(7, "slug", ANSWERS_PER_PAGE + 2, ANSWERS_PER_PAGE - 1)).toBe(`/t/7/slug#post-${ANSWERS_PER_PAGE + 2}`);
  });
});
