import { config } from "~/web/config.server";

/** The "veteran" badge's threshold: QUORUM_VETERAN_REPUTATION, default 500. */
export function veteranThreshold(): number {
  return config().QUORUM_VETERAN_REPUTATION;
}
