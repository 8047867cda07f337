import { randomBytes } from "node:crypto";
import * as OTPAuth from "otpauth";
import QRCode from "qrcode";

/**
 * TOTP (RFC 6238) through the otpauth library: SHA-1, 6 digits, 30-second steps, the authenticator
 * apps' defaults. Every function takes `now` so tests control the clock.
 */
export const TOTP_PERIOD = 30;
export const TOTP_WINDOW = 1;
const ISSUER = "Quorum";

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secret: string, label = "account") {
  return new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD, secret: OTPAuth.Secret.fromBase32(secret) });
}

export function currentStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD);
}

/** The code for a moment (tests and the e2e compute codes this way). */
export function totpCode(secret: string, now: Date = new Date()): string {
  return totp(secret).generate({ timestamp: now.getTime() });
}

/**
 * The time-step a code belongs to, within ±1 step of now, or null. The caller refuses a step at or
 * before the last one accepted, so a code is never accepted twice.
 */
export function matchTotpStep(secret: string, code: string, now: Date = new Date()): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret).validate({ token, timestamp: now.getTime(), window: TOTP_WINDOW });
  return delta === null ? null : currentStep(now) + delta;
}

export function totpUri(secret: string, account: string): string {
  return totp(secret, account).toString();
}

/** The otpauth:// URI as an SVG QR code in a data: URL (the CSP allows img data:). */
export async function totpQrDataUrl(secret: string, account: string): Promise<string> {
  const svg = await QRCode.toString(totpUri(secret, account), { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

const CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i

/** Ten recovery codes like "k7mxp-3q9ta" (50 bits each). */
export function newRecoveryCodes(count = 10): string[] {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = randomBytes(10);
    let s = "";
    for (const b of bytes) s += CODE_ALPHABET[b % CODE_ALPHABET.length];
    codes.push(`${s.slice(0, 5)}-${s.slice(5)}`);
  }
  return codes;
}

/** Case, spaces and dashes do not matter when a recovery code is typed. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, "");
}
