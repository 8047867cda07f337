import { readFileSync } from "node:fs";
import path from "node:path";

/** The Node flags of `npm start` (package.json, e.g. the V8 heap limit), so that the benchmark and the
 * end-to-end tests run the server exactly as `npm start` does, in one process whose pid is the server's. */
export function startNodeFlags(root = process.cwd()): string[] {
  const script = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts.start as string;
  return script.split(/\s+/).filter((a) => a.startsWith("--"));
}
