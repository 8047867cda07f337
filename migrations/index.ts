import type { Migration } from "kysely";
import * as m0001 from "./2026-11-24-0001-foundation";
import * as m0002 from "./2026-11-24-0002-qa";
import * as m0003 from "./2026-11-24-0003-safety";
import * as m0004 from "./2026-11-24-0004-account-security";
import * as m0005 from "./2026-11-24-0005-search";
import * as m0006 from "./2026-11-24-0006-faq";
import * as m0007 from "./2026-11-24-0007-moderation-tools";
import * as m0008 from "./2026-11-24-0008-rate-limits";
import * as m0009 from "./2026-11-24-0009-reports";
import * as m0010 from "./2026-11-24-0010-search-candidates";
import * as m0011 from "./2026-12-03-0001-session-hashes";
import * as m0012 from "./2026-12-07-0001-revision-redaction";

/**
 * Every migration, by name, in order. A static list (not a folder scan) so that the same provider
 * works under tsx (CLI), vitest and the Vite-built server alike. Add each new migration here.
 */
export const migrations: Record<string, Migration> = {
  "2026-11-24-0001-foundation": m0001,
  "2026-11-24-0002-qa": m0002,
  "2026-11-24-0003-safety": m0003,
  "2026-11-24-0004-account-security": m0004,
  "2026-11-24-0005-search": m0005,
  "2026-11-24-0006-faq": m0006,
  "2026-11-24-0007-moderation-tools": m0007,
  "2026-11-24-0008-rate-limits": m0008,
  "2026-11-24-0009-reports": m0009,
  "2026-11-24-0010-search-candidates": m0010,
  "2026-12-03-0001-session-hashes": m0011,
  "2026-12-07-0001-revision-redaction": m0012,
};
