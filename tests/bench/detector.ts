/**
 * Secret-detector benchmark: time per post at the maximum body length (MAX_BODY_LENGTH), benign and
 * secret-bearing, median and p95 over repeated runs. `npm run bench:detector` (pure CPU, no server).
 */
import { performance } from "node:perf_hooks";
import { MAX_BODY_LENGTH } from "../../app/domain/limits";
import { scanForSecrets } from "../../app/safety/secrets";
import { Rng, WORDLISTS, hex64, mnemonic, wif } from "../fixtures/crypto-samples";
import { ordinaryPosts } from "../fixtures/ordinary-posts";
import { benignCorpus, secretLayouts } from "../fixtures/safety-corpus";

const RUNS = Number(process.argv[2] ?? 40);
const rng = new Rng("bench-detector");
const fill = (make: () => string, sep = "\n\n") => {
  let s = "";
  while (s.length < MAX_BODY_LENGTH) s += make() + sep;
  return s.slice(0, MAX_BODY_LENGTH);
};
const ordinary = ordinaryPosts().map((p) => p.text);
const benign = benignCorpus().map((p) => p.text);
const secrets = secretLayouts().map((p) => p.text);
const withSecretAt = (where: "start" | "end", secret: string) => {
  const filler = fill(() => rng.pick(ordinary)).slice(0, MAX_BODY_LENGTH - secret.length - 2);
  return where === "start" ? `${secret}\n\n${filler}` : `${filler}\n\n${secret}`;
};

const cases: Record<string, { kind: "benign" | "secret"; make: () => string }> = {
  "ordinary posts": { kind: "benign", make: () => fill(() => rng.pick(ordinary)) },
  "benign corpus (hashes, addresses, xpubs, prose, code)": { kind: "benign", make: () => fill(() => rng.pick(benign)) },
  "worst case: English list words, spaced": { kind: "secret", make: () => fill(() => rng.pick(WORDLISTS.english), " ") },
  "worst case: unspaced Chinese list characters": { kind: "benign", make: () => fill(() => rng.pick(WORDLISTS.simplifiedChinese), "") },
  "hex and WIF-like soup": { kind: "benign", make: () => fill(() => (rng.int(2) ? hex64(rng) : wif(rng, { compressed: true, testnet: false }).slice(1)), " ") },
  "phrase at the end": { kind: "secret", make: () => withSecretAt("end", mnemonic(rng, WORDLISTS.english, 256)) },
  "phrase at the start": { kind: "secret", make: () => withSecretAt("start", mnemonic(rng, WORDLISTS.simplifiedChinese, 128)) },
  "layouts corpus (every layout, near misses, keys)": { kind: "secret", make: () => fill(() => rng.pick(secrets)) },
};

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

// Warm-up (JIT) on a mix of everything.
for (let i = 0; i < 5; i++) for (const c of Object.values(cases)) scanForSecrets(c.make().slice(0, 4000));

console.log(`secret detector, ${MAX_BODY_LENGTH} characters per post, ${RUNS} posts per case (node ${process.version})`);
// Wall time suffers when the machine is shared; CPU time (user+system) much less.
console.log("| case | kind | median ms | p95 ms | max ms | median CPU ms | p95 CPU ms | verdict |");
console.log("|---|---|---:|---:|---:|---:|---:|---|");
for (const [name, c] of Object.entries(cases)) {
  const ms: number[] = [];
  const cpu: number[] = [];
  let verdict = "";
  for (let i = 0; i < RUNS; i++) {
    const text = c.make();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = scanForSecrets(text);
    ms.push(performance.now() - t0);
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
    verdict = r.verdict;
  }
  const s = stats(ms);
  const k = stats(cpu);
  console.log(
    `| ${name} | ${c.kind} | ${s.median.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} | ` +
      `${k.median.toFixed(1)} | ${k.p95.toFixed(1)} | ${verdict} |`
  );
}
