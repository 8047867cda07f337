import { describe, expect, it } from "vitest";
import { markdownBody, replyCounts, rng, threadTitle, weightedIndex } from "../bench/generate";

describe("bench seeder: reply-count distribution", () => {
  it("sums exactly to the requested replies, with a long tail and fixed 100-answer threads", () => {
    const counts = replyCounts(10_000, 90_000, rng(1), { exactCount: 10, exact: 100, max: 2000 });
    expect(counts).toHaveLength(10_000);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(90_000);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...counts)).toBeLessThanOrEqual(2000);
    expect(counts.filter((c) => c === 100).length).toBeGreaterThanOrEqual(10);
    const sorted = [...counts].sort((a, b) => a - b);
    const median = sorted[5000];
    // Long tail: the median thread has few answers, some have hundreds.
    expect(median).toBeLessThan(9);
    expect(sorted.filter((c) => c >= 100).length).toBeGreaterThan(20);
    expect(counts.filter((c) => c === 0).length).toBeGreaterThan(100);
  });

  it("is deterministic for a seed and refuses impossible totals", () => {
    expect(replyCounts(100, 500, rng(3), { exactCount: 1 })).toEqual(replyCounts(100, 500, rng(3), { exactCount: 1 }));
    expect(() => replyCounts(10, 50, rng(1), { exactCount: 1, exact: 100 })).toThrow();
    expect(() => replyCounts(10, 10_000, rng(1), { exactCount: 0, max: 100 })).toThrow();
  });

  it("picks weighted indexes in proportion", () => {
    const r = rng(5);
    const hits = [0, 0];
    for (let i = 0; i < 10_000; i++) hits[weightedIndex([1, 3], r)]++;
    expect(hits[1] / 10_000).toBeGreaterThan(0.7);
    expect(hits[1] / 10_000).toBeLessThan(0.8);
  });
});

describe("bench seeder: content", () => {
  it("makes mixed Chinese/English Markdown bodies and valid titles", () => {
    const r = rng(9);
    const bodies = Array.from({ length: 500 }, () => markdownBody(r));
    expect(bodies.some((b) => /[\u4e00-\u9fff]/.test(b))).toBe(true);
    expect(bodies.some((b) => /\b(the|my|support)\b/i.test(b))).toBe(true);
    expect(bodies.some((b) => b.includes("```"))).toBe(true);
    expect(bodies.some((b) => /\]\(https:\/\//.test(b))).toBe(true);
    for (const b of bodies) expect(b.length).toBeGreaterThan(0);
    for (let i = 0; i < 500; i++) {
      const t = threadTitle(r);
      expect(t.length).toBeGreaterThanOrEqual(8);
      expect(t.length).toBeLessThanOrEqual(150);
    }
  });
});
