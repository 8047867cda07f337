import { SMTPServer } from "smtp-server";

/** A mail as the in-process SMTP server received it, with its parts decoded. */
export type ReceivedMail = { from: string; to: string[]; raw: string; subject: string; text: string; html: string };

function decodeWords(s: string): string {
  return s.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, body: string) =>
    enc.toLowerCase() === "b"
      ? Buffer.from(body, "base64").toString("utf8")
      : decodeQP(body.replace(/_/g, " ")),
  );
}

function decodeQP(s: string): string {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, "");
  for (let i = 0; i < src.length; i++) {
    if (src[i] === "=" && /^[0-9A-F]{2}$/i.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(src[i], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function splitHead(part: string): { headers: Record<string, string>; body: string } {
  const idx = part.search(/\r?\n\r?\n/);
  const head = idx >= 0 ? part.slice(0, idx) : part;
  const body = idx >= 0 ? part.slice(idx).replace(/^\r?\n\r?\n/, "") : "";
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) headers[m[1].toLowerCase()] = m[2];
  }
  return { headers, body };
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const enc = (headers["content-transfer-encoding"] ?? "").toLowerCase();
  if (enc === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (enc === "quoted-printable") return decodeQP(body);
  return body;
}

/** A small MIME reader: enough for nodemailer's text + HTML (multipart/alternative) messages. */
export function parseMail(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const top = splitHead(raw);
  const out: ReceivedMail = { ...envelope, raw, subject: decodeWords(top.headers["subject"] ?? ""), text: "", html: "" };
  const visit = (headers: Record<string, string>, body: string) => {
    const type = headers["content-type"] ?? "text/plain";
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (/^multipart\//i.test(type) && boundary) {
      for (const chunk of body.split(`--${boundary}`).slice(1)) {
        if (chunk.startsWith("--")) break;
        const p = splitHead(chunk.replace(/^\r?\n/, ""));
        visit(p.headers, p.body);
      }
    } else if (/^text\/html/i.test(type)) out.html = decodeBody(headers, body);
    else if (/^text\/plain/i.test(type)) out.text = decodeBody(headers, body);
  };
  visit(top.headers, top.body);
  return out;
}

/** A real SMTP server on 127.0.0.1 (random port) that keeps what it receives. */
export async function startSmtp(): Promise<{ url: string; mails: ReceivedMail[]; close: () => Promise<void>; waitFor: (pred: (m: ReceivedMail) => boolean, ms?: number) => Promise<ReceivedMail> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push(
          parseMail(Buffer.concat(chunks).toString("utf8"), {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
          }),
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    waitFor: async (pred, ms = 5000) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const hit = mails.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error("no such mail arrived");
    },
  };
}
