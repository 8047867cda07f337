/**
 * `npx tsx tests/bench/profile-summary.ts <file.cpuprofile | folder> [--top 30]`
 *
 * Reads a V8 CPU profile (from `npm run bench -- --profile`, or
 * `node --cpu-prof --cpu-prof-dir=DIR --import tsx tests/bench/render-loop.ts`) and prints the share of
 * sampled time per package (node_modules/<package>, the app's build, Node's internals) and the
 * functions with the most self time. With a folder, its largest .cpuprofile is read (under tsx the
 * loader's worker thread writes a small one beside the main thread's).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const args = process.argv.slice(2);
const topAt = args.indexOf("--top");
const top = topAt >= 0 ? Number(args[topAt + 1]) : 30;
let file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--top");
if (!file) throw new Error("usage: profile-summary.ts <file.cpuprofile | folder> [--top N]");
if (statSync(file).isDirectory()) {
  const dir = file;
  const largest = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!largest) throw new Error(`no .cpuprofile in ${dir}`);
  file = largest;
}
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);

/** node_modules/@scope/name or node_modules/name; the app's build; node:internal…; else the function. */
function packageOf({ url, functionName }: Node["callFrame"]): string {
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = url.slice(nm + "node_modules/".length).split("/");
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.includes("/build/server/")) return "build/server (the app)";
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  return url ? path.relative(process.cwd(), url.replace(/^file:\/\//, "")) : functionName || "(native)";
}

const byPackage = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, t] of selfTime) {
  const frame = nodes.get(id)!.callFrame;
  const pkg = packageOf(frame);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + t);
  const fn = `${frame.functionName || "(anonymous)"}  ${pkg}:${frame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + t);
}
const list = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`)
    .join("\n");
console.log(`${path.basename(file)}: ${(total / 1000).toFixed(0)} ms sampled\n\nself time by package:\n${list(byPackage)}\n\nself time by function:\n${list(byFunction)}`);
