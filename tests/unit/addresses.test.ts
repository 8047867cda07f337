import { bech32m } from "@scure/base";
import { describe, expect, it } from "vitest";
import { findWalletAddresses, type AddressKind } from "../../app/safety/addresses";
import { Rng, XPUB_VERSION, addr, extendedKey, hex64, wif } from "../fixtures/crypto-samples";
import { BLOWUP_BOUND_MS, fastestOf } from "../support/complexity";

const rng = new Rng("addresses");

const GENERATORS: [string, (r: Rng) => string, AddressKind][] = [
  ["btc legacy", addr.btcLegacy, "btc_legacy"],
  ["btc p2sh", addr.btcP2sh, "btc_segwit"],
  ["btc bech32 v0 p2wpkh", addr.btcBech32, "btc_bech32"],
  ["btc bech32 v0 p2wsh", addr.btcBech32Wsh, "btc_bech32"],
  ["btc taproot (bech32m)", addr.btcTaproot, "btc_bech32"],
  ["evm EIP-55", addr.evm, "evm"],
  ["evm lower-case", addr.evmLower, "evm"],
  ["tron", addr.tron, "tron"],
  ["ltc legacy", addr.ltcLegacy, "ltc"],
  ["ltc p2sh M", addr.ltcP2sh, "ltc"],
  ["ltc bech32", addr.ltcBech32, "ltc"],
  ["doge", addr.doge, "doge"],
  ["doge p2sh", addr.dogeP2sh, "doge"],
  ["xrp", addr.xrp, "xrp"],
];

/** Change one character to another of the same alphabet (keeps the shape, breaks the checksum). */
function typo(s: string, alphabet: string, at = Math.floor(s.length / 2)): string {
  const i = alphabet.indexOf(s[at]);
  return s.slice(0, at) + alphabet[(i + 1) % alphabet.length] + s.slice(at + 1);
}
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const B32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const XRP = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz";

describe("findWalletAddresses: valid addresses", () => {
  it.each(GENERATORS)("finds generated %s addresses", (_, gen, kind) => {
    for (let k = 0; k < 20; k++) {
      const a = gen(rng);
      for (const text of [
        a,
        `please send to ${a} thanks`,
        `收款地址：${a}，谢谢`,
        `https://explorer.example/address/${a}?tab=tx`,
      ]) {
        expect(findWalletAddresses(text), text).toEqual([{ kind, value: a }]);
      }
    }
  });

  it("finds well-known real addresses", () => {
    const known: [string, AddressKind][] = [
      ["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "btc_legacy"], // genesis coinbase
      ["bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "btc_bech32"], // BIP-173
      ["BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "btc_bech32"], // upper case is valid bech32
      ["bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "btc_bech32"], // BIP-350
      ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "evm"], // EIP-55 test vector
      ["0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "evm"],
      ["TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "tron"], // USDT TRC-20 contract
      ["rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh", "xrp"], // XRPL genesis account
    ];
    for (const [a, kind] of known) expect(findWalletAddresses(`addr ${a}`)).toEqual([{ kind, value: a }]);
  });

  it("finds Solana addresses only when the post is about Solana", () => {
    const a = addr.solana(rng);
    expect(findWalletAddresses(`My SOL address is ${a}`)).toEqual([{ kind: "solana", value: a }]);
    expect(findWalletAddresses(`Phantom shows ${a} as my account`)).toEqual([{ kind: "solana", value: a }]);
    expect(findWalletAddresses(`索拉纳地址 ${a}`)).toEqual([{ kind: "solana", value: a }]);
    expect(findWalletAddresses("wrapped SOL mint So11111111111111111111111111111111111111112")).toEqual([
      { kind: "solana", value: "So11111111111111111111111111111111111111112" },
    ]);
    expect(findWalletAddresses(`here: ${a}`)).toEqual([]);
  });

  it("reports each address once, in order of appearance, with several kinds in one post", () => {
    const e = addr.evm(rng);
    const t = addr.tron(rng);
    const b = addr.btcBech32(rng);
    const text = `From ${t} to ${e}. Again: ${t}. BTC: ${b}`;
    expect(findWalletAddresses(text)).toEqual([
      { kind: "tron", value: t },
      { kind: "evm", value: e },
      { kind: "btc_bech32", value: b },
    ]);
  });
});

describe("findWalletAddresses: near misses", () => {
  it("ignores base58check addresses with a typo", () => {
    for (const [name, gen] of GENERATORS.filter(([n]) => !/bech32|taproot|evm|xrp/.test(n)))
      for (let k = 0; k < 10; k++) {
        const bad = typo(gen(rng), B58);
        expect(findWalletAddresses(bad), `${name}: ${bad}`).toEqual([]);
      }
  });

  it("ignores bech32 addresses with a typo, mixed case, or the wrong checksum variant", () => {
    for (let k = 0; k < 10; k++) {
      expect(findWalletAddresses(typo(addr.btcBech32(rng), B32, 20))).toEqual([]);
      expect(findWalletAddresses(typo(addr.btcTaproot(rng), B32, 30))).toEqual([]);
      expect(findWalletAddresses(typo(addr.ltcBech32(rng), B32, 25))).toEqual([]);
    }
    const a = addr.btcBech32(rng);
    expect(findWalletAddresses(a.slice(0, 10) + a.slice(10).toUpperCase())).toEqual([]);
    // witness v0 program encoded with bech32m (invalid per BIP-350)
    expect(findWalletAddresses(bech32m.encode("bc", [0, ...bech32m.toWords(rng.bytes(20))]))).toEqual([]);
    // testnet is not a mainnet address
    expect(findWalletAddresses(addr.btcBech32(rng, "tb"))).toEqual([]);
  });

  it("ignores XRP addresses with a typo", () => {
    for (let k = 0; k < 10; k++) expect(findWalletAddresses(typo(addr.xrp(rng), XRP, 10))).toEqual([]);
  });

  it("ignores EVM addresses with a broken EIP-55 checksum or the wrong length", () => {
    for (let k = 0; k < 10; k++) {
      const a = addr.evm(rng);
      const i = [...a.slice(2)].findIndex((c) => /[a-fA-F]/.test(c)) + 2;
      const flipped =
        a.slice(0, i) +
        (a[i] === a[i].toUpperCase() ? a[i].toLowerCase() : a[i].toUpperCase()) +
        a.slice(i + 1);
      expect(findWalletAddresses(flipped), flipped).toEqual([]);
      expect(findWalletAddresses(a.slice(0, 41))).toEqual([]);
      expect(findWalletAddresses(a + "f")).toEqual([]);
    }
  });

  it("never takes a transaction hash, key or other long string for an address", () => {
    for (let k = 0; k < 20; k++) {
      const h = hex64(rng);
      for (const text of [h, `0x${h}`, `txid: ${h}`, `交易哈希 0x${h}`, `SOL tx ${h}`, h.slice(0, 44)])
        expect(findWalletAddresses(text), text).toEqual([]);
    }
    expect(findWalletAddresses(extendedKey(rng, XPUB_VERSION, false))).toEqual([]);
    expect(findWalletAddresses(wif(rng, { compressed: true, testnet: false }))).toEqual([]);
    expect(
      findWalletAddresses("I have an account and my balance is about to change after the address update")
    ).toEqual([]);
    expect(findWalletAddresses("充值没到账，交易失败，资产冻结，双重认证")).toEqual([]);
  });
});

describe("findWalletAddresses: no blow-up on long input", () => {
  it("scans a 20 000-character post without a blow-up", () => {
    let text = "";
    while (text.length < 20_000) text += `${addr.evm(rng)} ${hex64(rng)} ${addr.tron(rng)} some words here\n`;
    const { result: found, ms } = fastestOf(() => findWalletAddresses(text));
    console.log(`[addresses] 20 000 chars, ${found.length} addresses: ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(BLOWUP_BOUND_MS);
  });
});
