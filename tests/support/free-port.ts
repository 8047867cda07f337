import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * A port on 127.0.0.1 that nothing listens on, for a server started a few seconds later (the e2e
 * and bench servers). Not an ephemeral one (`listen(0)`): the kernel hands those out again as the
 * source port of outgoing connections — the pg clients of the setup steps, say — and one did take
 * the chosen port in CI before the server could bind it (EADDRINUSE). So the port is drawn below
 * the kernel's ephemeral range (net.ipv4.ip_local_port_range), where only listeners that ask for
 * a port by number go, and checked by binding it.
 */
export async function freePort(): Promise<number> {
  let low = 32768;
  try {
    low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || low;
  } catch {
    /* not Linux: the IANA ephemeral range starts higher still */
  }
  const from = Math.max(1024, Math.min(low, 49152) - 12000);
  const to = Math.min(low, 49152) - 1;
  for (let tries = 0; tries < 50; tries++) {
    const port = from + Math.floor(Math.random() * (to - from));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${from} and ${to}`);
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}
