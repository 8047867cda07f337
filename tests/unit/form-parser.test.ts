import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkEntries, decodeForm, decodeUrlEncoded, hasControlCharacter } from "../../app/web/form-parser";
import { idSchema, boardIdSchema, parseIdText, ROW_ID_MAX } from "../../app/web/schemas";
import { parseFormData } from "../../app/web/forms.server";

const enc = (s: string) => new TextEncoder().encode(s);
const URLENC = "application/x-www-form-urlencoded";
const PHRASE = "legal winner thank year wave sausage worth useful legal winner thank yellow";

describe("decodeForm: one strict reading of a form body", () => {
  it("reads what a browser sends, percent-encoded or raw UTF-8, + as a space", async () => {
    const r = await decodeForm(enc("title=%E4%BD%A0%E5%A5%BD+world&body=中文&empty=&flag"), URLENC);
    expect(r).toEqual({ ok: true, entries: [["title", "你好 world"], ["body", "中文"], ["empty", ""], ["flag", ""]] });
    const emoji = await decodeForm(enc(`body=${encodeURIComponent("😀 a\r\n\tb")}`), URLENC);
    expect(emoji).toEqual({ ok: true, entries: [["body", "😀 a\r\n\tb"]] });
  });

  it("a field sent twice is refused, whichever value comes first, unless the form declares it multi", async () => {
    expect(await decodeForm(enc("body=harmless&body=other"), URLENC)).toEqual({ ok: false, problem: { code: "duplicateField", field: "body" } });
    expect(await decodeForm(enc("a=1&b=2&a="), URLENC)).toEqual({ ok: false, problem: { code: "duplicateField", field: "a" } });
    expect(await decodeForm(enc("tag=a&tag=b"), URLENC, { multi: ["tag"] })).toEqual({ ok: true, entries: [["tag", "a"], ["tag", "b"]] });
    // Percent-encoding the name does not make it another field.
    expect(await decodeForm(enc("body=x&%62ody=y"), URLENC)).toMatchObject({ ok: false, problem: { code: "duplicateField" } });
  });

  it("control characters other than line breaks and tabs are refused, in values and names", async () => {
    for (const c of ["\u0000", "\u0001", "\u0008", "\u000b", "\u000c", "\u001b", "\u007f", "\u0085", "\u009f"]) {
      expect(hasControlCharacter(`a${c}b`)).toBe(true);
      expect(await decodeForm(enc(`body=${encodeURIComponent(`a${c}b`)}`), URLENC)).toEqual({ ok: false, problem: { code: "controlCharacter", field: "body" } });
    }
    for (const c of ["\n", "\r", "\t", "\u00a0", "\u200b"]) expect(hasControlCharacter(`a${c}b`)).toBe(false);
    expect(await decodeForm(enc("bo%00dy=x"), URLENC)).toMatchObject({ ok: false, problem: { code: "controlCharacter" } });
  });

  it("bytes that are not UTF-8 are refused (URLSearchParams would have turned them into U+FFFD)", async () => {
    expect(decodeUrlEncoded(enc("body=%FF"))).toBeNull();
    expect(decodeUrlEncoded(enc("body=%E4%BD"))).toBeNull(); // a truncated sequence
    expect(decodeUrlEncoded(enc("body=%C0%AF"))).toBeNull(); // an overlong encoding
    expect(await decodeForm(new Uint8Array([0x62, 0x3d, 0xff]), URLENC)).toEqual({ ok: false, problem: { code: "invalidEncoding" } });
    expect(await decodeForm(enc("body=%ED%A0%80"), URLENC)).toEqual({ ok: false, problem: { code: "invalidEncoding" } }); // a lone surrogate
  });

  it("multipart bodies get the same rules; other content types are not forms", async () => {
    const fd = new FormData();
    fd.append("body", "one");
    fd.append("body", "two");
    const req = new Request("http://x/", { method: "POST", body: fd });
    const bytes = new Uint8Array(await req.arrayBuffer());
    expect(await decodeForm(bytes, req.headers.get("Content-Type")!)).toEqual({ ok: false, problem: { code: "duplicateField", field: "body" } });
    expect(await decodeForm(enc("{}"), "application/json")).toEqual({ ok: false, problem: { code: "badForm" } });
  });

  it("checkEntries passes a clean form through unchanged", () => {
    const entries: [string, string][] = [["a", "1"], ["b", "line\nbreak"]];
    expect(checkEntries(entries)).toEqual({ ok: true, entries });
  });
});

describe("ids are ranges", () => {
  it("parseIdText takes 1 … 2^53−1 in plain decimal and nothing else", () => {
    expect(parseIdText("1")).toBe(1);
    expect(parseIdText(String(ROW_ID_MAX))).toBe(ROW_ID_MAX);
    for (const bad of ["", "0", "-1", "01", "1e3", " 7", "7 ", "1.0", "0x10", "99999999999999999999", String(ROW_ID_MAX + 1), "９"]) expect(parseIdText(bad), bad).toBeNull();
    expect(parseIdText(undefined)).toBeNull();
    expect(parseIdText("2147483648", 2_147_483_647)).toBeNull();
  });

  it("idSchema and boardIdSchema give a field error, not a number the database refuses", () => {
    expect(idSchema.safeParse("42")).toMatchObject({ success: true, data: 42 });
    expect(idSchema.safeParse("99999999999999999999").success).toBe(false);
    expect(boardIdSchema.safeParse("3000000000").success).toBe(false);
  });
});

describe("parseFormData: typed values or field errors, and what may be echoed", () => {
  const schema = z.object({ title: z.string().min(8, "tooShort"), id: idSchema });
  const form = (entries: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(entries)) f.append(k, v);
    return f;
  };

  it("returns typed data", () => {
    const r = parseFormData(form({ title: "long enough", id: "7" }), schema);
    expect(r).toMatchObject({ ok: true, data: { title: "long enough", id: 7 } });
  });

  it("returns field errors with the values masked where the guard blocks them, and never a password", () => {
    const r = parseFormData(form({ title: "short", id: "99999999999999999999", note: `mine: ${PHRASE}`, password: "hunter2hunter2" }), schema);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.title.key).toBe("validation.tooShort");
    expect(r.errors.id.key).toBe("validation.badId");
    expect(r.values.title).toBe("short");
    expect(r.values.note).not.toContain("sausage");
    expect(r.values.note).toContain("•••••");
    expect(r.values.password).toBeUndefined();
  });
});
