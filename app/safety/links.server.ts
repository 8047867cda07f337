/**
 * Which link and image hosts a post may use, and which links are phishing.
 *
 * - Trusted hosts: Quorum's own (QUORUM_PUBLIC_URL), the official domains (QUORUM_OFFICIAL_DOMAINS)
 *   and QUORUM_LINK_ALLOWLIST, subdomains included. Links elsewhere are shown with a warning.
 * - Image hosts: only QUORUM_IMAGE_HOSTS (relative URLs are Quorum's own): a picture of the staff
 *   badge from anywhere else would look like the real one, so other images render as links.
 * - Phishing (refused by the guard): look-alikes of an official domain and wallet-connect/approve links.
 */
import { domainToUnicode } from "node:url";
import { config } from "~/web/config.server";
import { nameSkeleton, withinOneEdit } from "~/safety/names";

function normalise(host: string): string {
  return host.trim().toLowerCase().replace(/^\*\./, "").replace(/^\.+|\.+$/g, "");
}

/** The host itself or any subdomain of one of `domains`. */
export function hostUnder(host: string, domains: readonly string[]): boolean {
  const h = normalise(host);
  return domains.some((d) => h === d || h.endsWith(`.${d}`));
}

function ownHost(): string[] {
  const url = config().QUORUM_PUBLIC_URL;
  if (!url) return [];
  try {
    return [new URL(url).hostname.toLowerCase()];
  } catch {
    return [];
  }
}

/** Official domains: the configured ones and Quorum's own host. */
export function officialDomains(): string[] {
  return [...new Set([...config().QUORUM_OFFICIAL_DOMAINS, ...ownHost()])];
}

/** Hosts links go to without a warning. */
export function trustedLinkHosts(): string[] {
  return [...new Set([...officialDomains(), ...config().QUORUM_LINK_ALLOWLIST])];
}

export function imageHosts(): string[] {
  return config().QUORUM_IMAGE_HOSTS;
}

/** The name an official domain is known by: "examplewallet" for "examplewallet.com" or "www.examplewallet.co.uk". */
function brandOf(domain: string): string {
  const labels = normalise(domain).split(".").filter((l) => l !== "www");
  if (labels.length <= 1) return labels[0] ?? "";
  // "co.uk", "com.cn": a short second-level label before a two-letter country code is not the name.
  const last = labels.length - 1;
  if (labels.length >= 3 && labels[last].length === 2 && labels[last - 1].length <= 3) return labels[last - 2];
  return labels[last - 1];
}

/**
 * The official domain `host` imitates, or null: a label of the host whose skeleton (confusable and
 * leet letters folded, see nameSkeleton) is the official name, one edit from it, or contains it with
 * extra words ("examplewallet-support", "verify-examp1ewallet", "examplewallet.com.login.example").
 * The official domains themselves and their subdomains are never look-alikes.
 */
export function lookalikeOf(host: string, official: readonly string[] = officialDomains()): string | null {
  const h = normalise(host);
  if (!h || hostUnder(h, official)) return null;
  const labels = domainToUnicode(h).split(".").filter(Boolean);
  // The top-level label is never the name ("examplewallet.com" vs a host "com"); a bare name is.
  const named = labels.length > 1 ? labels.slice(0, -1) : labels;
  for (const domain of official) {
    const brand = nameSkeleton(brandOf(domain));
    if (brand.length < 4) continue; // too short to tell an imitation from a coincidence
    for (const label of named) {
      const skel = nameSkeleton(label);
      if (!skel) continue;
      if (skel === brand || skel.includes(brand)) return domain;
      if (brand.length >= 5 && withinOneEdit(skel, brand)) return domain;
    }
  }
  return null;
}

// Kept narrow: "verify", "restore", "revoke" and "connect" alone appear in ordinary help links
// (a hardware wallet's "verify your address" article, revoke.cash); "connect" counts next to "wallet".
const ACTION_WORDS = new Set(["approve", "approval", "claim", "airdrop", "rectify", "validate", "validation"]);
const WALLET_WORDS = new Set([
  "wallet", "wallets", "metamask", "trustwallet", "dapp", "dapps", "web3", "token", "tokens", "nft",
  "nfts", "seed", "phrase", "defi",
]);

/**
 * A link that asks the reader to connect or approve a wallet: a host or path with "walletconnect" /
 * "connect-wallet", or an action word (approve, claim, airdrop, rectify, validate) together with a
 * wallet word (wallet, dapp, token, nft…) in the host or path. Query strings are not read: ordinary
 * links carry arbitrary words there.
 */
export function isWalletConnectLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  const words = `${parsed.hostname} ${decodeURIComponentSafe(parsed.pathname)}`.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === "walletconnect" || w === "connectwallet") return true;
    if ((w === "connect" && words[i + 1] === "wallet") || (w === "wallet" && words[i + 1] === "connect")) return true;
  }
  const hasAction = words.some((w) => ACTION_WORDS.has(w) || w.startsWith("airdrop") || w.startsWith("claim"));
  const hasWallet = words.some((w) => WALLET_WORDS.has(w) || w.endsWith("wallet"));
  return hasAction && hasWallet;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export type PhishingLink = { domain: string; reason: "lookalike" | "walletConnect" };

/** The phishing verdict for one link (absolute URL), or null. Trusted hosts are never phishing. */
export function phishingLink(url: string, trusted: readonly string[] = trustedLinkHosts(), official: readonly string[] = officialDomains()): PhishingLink | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  if (!host || hostUnder(host, trusted)) return null;
  if (lookalikeOf(host, official)) return { domain: host, reason: "lookalike" };
  if (isWalletConnectLink(url)) return { domain: host, reason: "walletConnect" };
  return null;
}
