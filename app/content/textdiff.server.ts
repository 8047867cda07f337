import { diffWords } from "diff";

export type DiffPart = { op: "same" | "ins" | "del"; text: string };

const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

/**
 * A word diff between two versions (jsdiff's diffWords; CJK text split into words by
 * Intl.Segmenter, as in the search tokenizer). Bounded: past the time limit the whole old text is
 * shown deleted and the new one inserted, which is still correct, just coarse.
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  if (before === after) return [{ op: "same", text: after }];
  const changes = diffWords(before, after, { intlSegmenter: segmenter, timeout: 200 });
  if (!changes) {
    return [
      { op: "del", text: before },
      { op: "ins", text: after },
    ];
  }
  return changes.map((c) => ({ op: c.added ? "ins" : c.removed ? "del" : "same", text: c.value }));
}
