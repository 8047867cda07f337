import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { parseMail, type ReceivedMail } from "../support/smtp";

/**
 * The end-to-end server sends its mail over real SMTP to this catcher (started by global-setup on
 * 127.0.0.1); each message is written to a folder that the tests, in their own process, read.
 */
export async function startMailCatcher(): Promise<{ url: string; dir: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "quorum-e2e-mail-"));
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const file = path.join(dir, `${String(++n).padStart(6, "0")}.json`);
        writeFileSync(file, JSON.stringify({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") }));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    dir,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function readMails(dir: string): ReceivedMail[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const { to, raw } = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { to: string[]; raw: string };
      return parseMail(raw, { from: "", to });
    });
}

/** Waits for the newest mail to an address whose text contains `contains`, and returns its link. */
export async function waitForLink(dir: string, to: string, pathPrefix: string, timeout = 10_000): Promise<string> {
  const until = Date.now() + timeout;
  const re = new RegExp(`https?://\\S+${pathPrefix.replace(/[?]/g, "\\?")}[^\\s]*`);
  while (Date.now() < until) {
    const hit = readMails(dir)
      .filter((m) => m.to.includes(to.toLowerCase()) || m.to.includes(to))
      .reverse()
      .map((m) => re.exec(m.text)?.[0])
      .find(Boolean);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to} with a ${pathPrefix} link`);
}
