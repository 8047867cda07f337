import { DEFAULT_VETERAN_REPUTATION } from "~/domain/reputation";

/** The "veteran" badge's threshold: QUORUM_VETERAN_REPUTATION, default 500. */
export function veteranThreshold(): number {
  const raw = process.env.QUORUM_VETERAN_REPUTATION;
  const n = raw && /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_VETERAN_REPUTATION;
}
