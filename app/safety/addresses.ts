/**
 * Finds wallet addresses in a post, for the "check every character before you send" warning shown
 * beside posts that contain one (scammers edit addresses in quoted posts; address poisoning relies on
 * people copying look-alikes). Pure; mainnet formats only.
 *
 * Candidates are maximal ASCII-alphanumeric runs, so an address is found inside a URL or next to CJK
 * text ("地址：T…") but never inside a longer hex or base58 string. Every format with a checksum must
 * pass it — a string with a typo is not reported as an address:
 *  - btc_legacy  base58check, version 0x00 ("1…")
 *  - btc_segwit  base58check, version 0x05 ("3…", P2SH — nested SegWit in practice; Litecoin's legacy
 *                "3…" addresses share this version and are reported as btc_segwit too)
 *  - btc_bech32  "bc1…": bech32 for witness v0 (20- or 32-byte program), bech32m for v1+ (Taproot)
 *  - ltc         base58check 0x30 ("L…") / 0x32 ("M…"), or "ltc1…" bech32/bech32m
 *  - doge        base58check 0x1e ("D…") / 0x16 ("9…"/"A…")
 *  - tron        base58check 0x41 ("T…")
 *  - xrp         XRP-alphabet base58 with a double-SHA-256 checksum, version 0x00 ("r…")
 *  - evm         "0x" + 40 hex; mixed case must be a valid EIP-55 checksum (all-lower/all-upper carry
 *                no checksum and are accepted). A 64-hex transaction hash never matches (wrong length).
 *  - solana      base58 decoding to exactly 32 bytes. There is no checksum, and any random 32–44 char
 *                base58 string decodes to 32 bytes, so it is only reported when the post says Solana
 *                ("solana", "SOL", "Phantom", "Solflare", "SPL", "索拉纳") within 60 characters.
 * Each address is reported once, in order of first appearance.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { base58, base58xrp, bech32, bech32m, createBase58check } from "@scure/base";

export type AddressKind =
  | "btc_legacy"
  | "btc_segwit"
  | "btc_bech32"
  | "evm"
  | "tron"
  | "solana"
  | "ltc"
  | "xrp"
  | "doge";

const b58check = createBase58check(sha256);
const CANDIDATE_RE = /[0-9A-Za-z]+/g;
const BASE58_RE = /^[1-9A-HJ-NP-Za-km-z]+$/;
const XRP_ALPHABET_RE = /^[rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz]+$/;
const EVM_RE = /^0x[0-9a-fA-F]{40}$/;
const SOLANA_CONTEXT_RE = /solana|\bsol\b|phantom|solflare|\bspl\b|索拉纳|索拉納/i;
const SOLANA_CONTEXT = 60;

const BASE58_VERSIONS: ReadonlyMap<number, AddressKind> = new Map([
  [0x00, "btc_legacy"],
  [0x05, "btc_segwit"],
  [0x41, "tron"],
  [0x30, "ltc"],
  [0x32, "ltc"],
  [0x1e, "doge"],
  [0x16, "doge"],
]);

function eip55Valid(addr: string): boolean {
  const hexPart = addr.slice(2);
  if (hexPart === hexPart.toLowerCase() || hexPart === hexPart.toUpperCase()) return true;
  const lower = hexPart.toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(lower));
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 ? 0 : 4)) & 0xf;
    const c = hexPart[i];
    if (c >= "a" && c <= "f" && nibble >= 8) return false;
    if (c >= "A" && c <= "F" && nibble < 8) return false;
  }
  return true;
}

function segwitKind(v: string): AddressKind | null {
  // bech32 is single-case; decoders accept either case but not a mix.
  if (v !== v.toLowerCase() && v !== v.toUpperCase()) return null;
  const lower = v.toLowerCase();
  const hrp = lower.startsWith("bc1") ? "bc" : lower.startsWith("ltc1") ? "ltc" : null;
  if (!hrp) return null;
  for (const coder of [bech32, bech32m]) {
    const d = coder.decodeUnsafe(lower, 90);
    if (!d || d.prefix !== hrp || d.words.length < 1) continue;
    const version = d.words[0];
    if (version > 16) return null;
    // BIP-350: v0 uses bech32, v1+ bech32m.
    if ((version === 0) !== (coder === bech32)) return null;
    let program: Uint8Array;
    try {
      program = coder.fromWords(d.words.slice(1));
    } catch {
      return null;
    }
    if (
      version === 0
        ? program.length !== 20 && program.length !== 32
        : program.length < 2 || program.length > 40
    )
      return null;
    return hrp === "bc" ? "btc_bech32" : "ltc";
  }
  return null;
}

function base58checkKind(v: string): AddressKind | null {
  let p: Uint8Array;
  try {
    p = b58check.decode(v);
  } catch {
    return null;
  }
  return p.length === 21 ? BASE58_VERSIONS.get(p[0]) ?? null : null;
}

function xrpValid(v: string): boolean {
  let raw: Uint8Array;
  try {
    raw = base58xrp.decode(v);
  } catch {
    return false;
  }
  if (raw.length !== 25 || raw[0] !== 0x00) return false;
  const check = sha256(sha256(raw.subarray(0, 21)));
  return check[0] === raw[21] && check[1] === raw[22] && check[2] === raw[23] && check[3] === raw[24];
}

function solanaShaped(v: string): boolean {
  try {
    return base58.decode(v).length === 32;
  } catch {
    return false;
  }
}

function classify(v: string, text: string, start: number): AddressKind | null {
  const len = v.length;
  if (len === 42 && EVM_RE.test(v)) return eip55Valid(v) ? "evm" : null;
  if (len >= 14 && len <= 90 && /^(?:bc1|ltc1)/i.test(v)) return segwitKind(v);
  if (len < 25 || len > 44) return null;
  if (len <= 35 && v[0] === "r" && XRP_ALPHABET_RE.test(v) && xrpValid(v)) return "xrp";
  if (!BASE58_RE.test(v)) return null;
  if (len <= 35) {
    const kind = base58checkKind(v);
    if (kind) return kind;
  }
  if (len >= 32 && solanaShaped(v)) {
    const around = text.slice(Math.max(0, start - SOLANA_CONTEXT), start + len + SOLANA_CONTEXT);
    if (SOLANA_CONTEXT_RE.test(around)) return "solana";
  }
  return null;
}

export function findWalletAddresses(text: string): { kind: AddressKind; value: string }[] {
  const out: { kind: AddressKind; value: string }[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(CANDIDATE_RE)) {
    const v = m[0];
    if (v.length < 25 || seen.has(v)) continue;
    const kind = classify(v, text, m.index);
    if (kind) {
      seen.add(v);
      out.push({ kind, value: v });
    }
  }
  return out;
}
