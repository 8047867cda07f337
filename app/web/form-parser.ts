/**
 * The one reading of a submitted form body. It refuses what a browser's own form never sends and what
 * a check could read differently from the code that stores it: a field sent twice (a guard reading the
 * first value while a model stores the last), text that is not UTF-8, and control characters.
 * Pure (bytes in, entries or a refusal out), so it is tested without a server.
 */

export type FormProblem =
  | { code: "duplicateField"; field: string }
  | { code: "controlCharacter"; field: string }
  | { code: "invalidEncoding" }
  | { code: "badForm" };

export type DecodeOptions = {
  /** Fields a form sends once per choice (checkbox groups); every other field must come once. */
  multi?: readonly string[];
};

export type Decoded = { ok: true; entries: [string, string][] } | { ok: false; problem: FormProblem };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Line breaks and tabs are text; every other C0 control, DEL and the C1 range are not. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value);
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** `%xx` and `+` decoded to bytes, then read as strict UTF-8 (URLSearchParams would substitute U+FFFD). */
function decodeComponent(part: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (c === 0x2b) bytes.push(0x20);
    else if (c === 0x25 && /^[0-9A-Fa-f]{2}$/.test(part.slice(i + 1, i + 3))) {
      bytes.push(parseInt(part.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) bytes.push(c);
    else {
      // Raw UTF-8 in the body (curl -d sends it so); the body was already checked as UTF-8.
      const cp = part.codePointAt(i)!;
      if (cp > 0xffff) i++;
      bytes.push(...encoder.encode(String.fromCodePoint(cp)));
    }
  }
  return decodeUtf8(Uint8Array.from(bytes));
}

export function decodeUrlEncoded(body: Uint8Array): [string, string][] | null {
  const text = decodeUtf8(body);
  if (text === null) return null;
  const out: [string, string][] = [];
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = decodeComponent(eq < 0 ? "" : pair.slice(eq + 1));
    if (name === null || value === null) return null;
    out.push([name, value]);
  }
  return out;
}

/** The entries of a decoded form checked against the rules above. */
export function checkEntries(entries: [string, string][], opts: DecodeOptions = {}): Decoded {
  const seen = new Set<string>();
  const multi = new Set(opts.multi ?? []);
  for (const [name, value] of entries) {
    if (hasControlCharacter(name)) return { ok: false, problem: { code: "controlCharacter", field: name.replace(CONTROL, "") } };
    if (seen.has(name) && !multi.has(name)) return { ok: false, problem: { code: "duplicateField", field: name } };
    seen.add(name);
    if (hasControlCharacter(value)) return { ok: false, problem: { code: "controlCharacter", field: name } };
  }
  return { ok: true, entries };
}

/**
 * Decodes a form body of either encoding a browser sends. Multipart bodies are decoded by the platform
 * (`parseMultipart`), after the whole body has been checked as UTF-8: Quorum's forms carry no files.
 */
export async function decodeForm(
  body: Uint8Array,
  contentType: string,
  opts: DecodeOptions = {},
  parseMultipart: (body: Uint8Array, contentType: string) => Promise<FormData> = defaultMultipart,
): Promise<Decoded> {
  const type = contentType.split(";")[0].trim().toLowerCase();
  let entries: [string, string][] | null;
  if (type === "application/x-www-form-urlencoded" || type === "") {
    entries = decodeUrlEncoded(body);
  } else if (type === "multipart/form-data") {
    if (decodeUtf8(body) === null) return { ok: false, problem: { code: "invalidEncoding" } };
    let form: FormData;
    try {
      form = await parseMultipart(body, contentType);
    } catch {
      return { ok: false, problem: { code: "badForm" } };
    }
    entries = [];
    for (const [k, v] of form.entries()) {
      if (typeof v !== "string") return { ok: false, problem: { code: "badForm" } };
      entries.push([k, v]);
    }
  } else {
    return { ok: false, problem: { code: "badForm" } };
  }
  if (entries === null) return { ok: false, problem: { code: "invalidEncoding" } };
  return checkEntries(entries, opts);
}

async function defaultMultipart(body: Uint8Array, contentType: string): Promise<FormData> {
  return new Response(body as unknown as BodyInit, { headers: { "Content-Type": contentType } }).formData();
}

export function toFormData(entries: [string, string][]): FormData {
  const form = new FormData();
  for (const [k, v] of entries) form.append(k, v);
  return form;
}
