/**
 * Every setting Quorum reads from the environment, validated in one place. The server calls
 * `config()` at start-up, so a mistyped value stops it with a message naming the variable instead of
 * being silently replaced by a default deep inside a request. The README's configuration table lists
 * the same variables.
 *
 * Parsed once per process; under vitest (VITEST is set) it is parsed on every call, because tests
 * change process.env between cases.
 */
import { z } from "zod";
import { DEFAULT_VETERAN_REPUTATION } from "~/domain/reputation";

/** "1" on, "0" off; anything else is a mistake worth stopping for. */
const flag = (fallback: boolean) =>
  z
    .enum(["0", "1"], { errorMap: () => ({ message: 'expected "0" or "1"' }) })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === "1"));

const int = (fallback: number, min: number, max = 1_000_000_000) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,10}$/, "expected a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((v) => v ?? fallback);

const number = (fallback: number, min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, "expected a number")
    .transform(Number)
    .pipe(z.number().min(min))
    .optional()
    .transform((v) => v ?? fallback);

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

/** `points/seconds` or `off` (a rate limit). */
const limitValue = z
  .string()
  .trim()
  .regex(/^(off|\d{1,9}\s*\/\s*\d{1,9})$/, 'expected "points/seconds" or "off"')
  .transform((v) => {
    if (v === "off") return null;
    const [points, seconds] = v.split("/").map((s) => Number(s.trim()));
    return { points, seconds };
  })
  .refine((v) => v === null || (v.points > 0 && v.seconds > 0), "points and seconds must be above 0");

/** Comma-separated host names, lower-cased, without a leading "*." or dots at either end. */
const hostList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((d) => d.trim().toLowerCase().replace(/^\*\./, "").replace(/^\.+|\.+$/g, ""))
      .filter(Boolean),
  );

const schema = z.object({
  NODE_ENV: z.string().optional().transform((v) => v ?? "development"),
  PORT: int(3000, 0, 65535),
  HOST: optionalText.transform((v) => v ?? "127.0.0.1"),
  DATABASE_URL: optionalText.pipe(z.string().url("expected a postgres:// URL").optional()),
  DATABASE_POOL_SIZE: int(10, 1, 1000),
  // Bounded waits on PostgreSQL (see README, "Running in production"): a stalled database turns into
  // fast 503s instead of requests that hang.
  DATABASE_CONNECT_TIMEOUT_MS: int(3000, 100, 600_000),
  DATABASE_STATEMENT_TIMEOUT_MS: int(5000, 100, 3_600_000),
  DATABASE_LOCK_TIMEOUT_MS: int(3000, 100, 3_600_000),
  DATABASE_IDLE_TX_TIMEOUT_MS: int(10_000, 100, 3_600_000),
  /** The readiness check's own bound (GET /readyz). */
  QUORUM_READY_TIMEOUT_MS: int(1000, 50, 60_000),
  /** Retry-After (seconds) on the 503 answered while the database is unreachable. */
  QUORUM_OUTAGE_RETRY_SECONDS: int(5, 1, 3600),
  /** How long a cached anonymous page may still be served while the database is down (seconds). */
  QUORUM_ANON_CACHE_STALE_SECONDS: number(300, 0),
  /** Largest request body accepted, counted as it streams (KiB): forms are small (the forms' own bound is 256 KiB too). */
  QUORUM_BODY_LIMIT_KB: int(256, 1, 1_048_576),
  /** The whole request, body included, must arrive within this (slow uploads get 408). */
  QUORUM_REQUEST_TIMEOUT_MS: int(30_000, 1000, 3_600_000),
  QUORUM_HEADERS_TIMEOUT_MS: int(10_000, 1000, 3_600_000),
  /** On SIGTERM/SIGINT, how long in-flight requests get to finish before the process exits. */
  QUORUM_SHUTDOWN_GRACE_MS: int(10_000, 0, 600_000),
  /** Embedded database: how long `npm start` waits for a previous process to release the folder. */
  QUORUM_DATA_DIR_WAIT_MS: int(15_000, 0, 600_000),
  QUORUM_DATA_DIR: optionalText.transform((v) => v ?? "./data"),
  QUORUM_PUBLIC_URL: optionalText.pipe(z.string().url("expected an http(s):// URL").optional()),
  QUORUM_TRUST_PROXY: flag(false),
  QUORUM_INSECURE_COOKIES: flag(false),
  QUORUM_ACCESS_LOG: flag(true),
  QUORUM_REQUIRE_VERIFIED_TO_ASK: flag(true),
  QUORUM_STAFF_REQUIRE_2FA: flag(true),
  QUORUM_VETERAN_REPUTATION: int(DEFAULT_VETERAN_REPUTATION, 1),
  QUORUM_BLOCKED_DOMAINS: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((d) => d.trim()).filter(Boolean)),
  /** Hosts posts may show images from, besides Quorum's own relative URLs (subdomains included). */
  QUORUM_IMAGE_HOSTS: hostList,
  /** Link hosts shown without the "staff never ask you to sign in elsewhere" warning (plus our own and the official ones). */
  QUORUM_LINK_ALLOWLIST: hostList,
  /** The project's official domains: never warned about, and their look-alikes are refused in posts. */
  QUORUM_OFFICIAL_DOMAINS: hostList,
  QUORUM_SECRET_KEY: optionalText,
  SMTP_URL: optionalText,
  MAIL_FROM: optionalText.transform((v) => v ?? "Quorum <no-reply@localhost>"),
  QUORUM_VIEW_FLUSH_SECONDS: number(10, 1),
  QUORUM_FAQ_STALE_DAYS: int(180, 1),
  QUORUM_REPORT_HIDE_THRESHOLD: int(3, 1),
  QUORUM_REPORT_MIN_REPUTATION: int(10, 1),
  QUORUM_REPORT_MIN_AGE_HOURS: int(24, 0),
  QUORUM_ANON_CACHE_TTL: number(2, 0),
  QUORUM_ANON_CACHE_ENTRIES: int(500, 1),
  QUORUM_ANON_CACHE_MB: number(32, 0),
  QUORUM_COUNT_QUERIES: flag(false),
  QUORUM_LOG_SQL_ERRORS: optionalText.transform((v) => !!v && v !== "0"),
  QUORUM_SKIP_MIGRATE: flag(false),
  QUORUM_RATE_LIMITS: z.enum(["on", "off"]).optional().transform((v) => v !== "off"),
});

export type Config = z.output<typeof schema> & {
  /** QUORUM_RATE_LIMIT_<NAME> overrides by variable name: a setting, or null for "off". */
  rateLimitOverrides: Record<string, { points: number; seconds: number } | null>;
  /** Production mode (NODE_ENV=production): secure cookies unless QUORUM_INSECURE_COOKIES=1. */
  production: boolean;
  secureCookies: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses an environment (process.env by default); throws ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join(".")}: ${issue.message}`);
  }
  const rateLimitOverrides: Config["rateLimitOverrides"] = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith("QUORUM_RATE_LIMIT_") || raw === undefined || raw.trim() === "") continue;
    const v = limitValue.safeParse(raw);
    if (v.success) rateLimitOverrides[name] = v.data;
    else problems.push(`${name}: ${v.error.issues[0]?.message ?? "invalid"}`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const production = parsed.data.NODE_ENV === "production";
  return { ...parsed.data, rateLimitOverrides, production, secureCookies: production && !parsed.data.QUORUM_INSECURE_COOKIES };
}

let cached: Config | null = null;
const perCall = !!process.env.VITEST;

/** The settings in force. */
export function config(): Config {
  if (perCall) return parseConfig();
  return (cached ??= parseConfig());
}
