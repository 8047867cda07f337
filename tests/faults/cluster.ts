/**
 * A throwaway PostgreSQL cluster for the fault suite: initdb into a temporary folder with the
 * machine's PostgreSQL binaries, on a free port, as user postgres when running as root. It can be
 * restarted, stopped and frozen (SIGSTOP on its own postmaster and children only), and is removed
 * afterwards. The machine's shared server (port 5432) is never touched.
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../support/free-port";

function binDir(): string {
  if (process.env.QUORUM_PG_BIN) return process.env.QUORUM_PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(path.join(root, v, "bin/initdb"))) return path.join(root, v, "bin");
  throw new Error("no PostgreSQL binaries found (set QUORUM_PG_BIN)");
}

export type Cluster = {
  url: string;
  port: number;
  restart: () => void;
  stop: () => void;
  start: () => void;
  freeze: () => number[];
  thaw: () => void;
  remove: () => void;
  log: () => string;
};

export async function startCluster(): Promise<Cluster> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), "quorum-faults-pg-"));
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "postgres.log");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? "runuser" : path.join(bin, cmd), asRoot ? ["-u", "postgres", "--", path.join(bin, cmd), ...args] : args, {
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
  run("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60 -c shared_buffers=32MB`;
  const pgctl = (...args: string[]) => run("pg_ctl", ["-D", data, "-l", logFile, "-w", "-t", "60", ...args]);
  pgctl("-o", opts, "start");
  let frozen: number[] = [];
  const pids = () => {
    const master = Number(readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(master)]).toString().trim().split(/\s+/).filter(Boolean).map(Number);
    return [master, ...children];
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: () => pgctl("-m", "fast", "-o", opts, "restart"),
    stop: () => pgctl("-m", "fast", "stop"),
    start: () => pgctl("-o", opts, "start"),
    freeze: () => {
      frozen = pids();
      for (const pid of frozen) process.kill(pid, "SIGSTOP");
      return frozen;
    },
    thaw: () => {
      for (const pid of frozen) {
        try {
          process.kill(pid, "SIGCONT");
        } catch {
          /* gone */
        }
      }
      frozen = [];
    },
    remove: () => {
      for (const pid of frozen) {
        try {
          process.kill(pid, "SIGCONT");
        } catch {
          /* gone */
        }
      }
      try {
        pgctl("-m", "immediate", "stop");
      } catch {
        /* not running */
      }
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
  };
}
