import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { slugify } from "../../app/content/slug";
import { holdsSecret } from "../../app/safety/queries";
import { currentPath, refuseSecretUrl, safeRedirectPath } from "../../app/web/http.server";
import { log } from "../../app/web/log.server";
import { redactText, redactUrl } from "../../app/web/redact.server";
import { oneOfEachKind } from "../fixtures/secret-samples";

const { phrase: PHRASE, wif: WIF, xprv: XPRV, hex: HEX } = oneOfEachKind();
const enc = encodeURIComponent;

describe("redactUrl", () => {
  it("never writes the query of search, suggestion, open and token pages", () => {
    expect(redactUrl("/search?q=ledger+backup")).toBe("/search?[redacted]");
    expect(redactUrl("/search?q=x&page=2&board=security")).toBe("/search?[redacted]");
    expect(redactUrl("/search.data?q=x&_routes=routes%2Fsearch")).toBe("/search.data?[redacted]");
    expect(redactUrl("/search/suggest?from=ask&q=my%20seed")).toBe("/search/suggest?[redacted]");
    expect(redactUrl("/search/open?type=thread&id=4")).toBe("/search/open?[redacted]");
    expect(redactUrl("/reset-password?token=Zm9vYmFy")).toBe("/reset-password?[redacted]");
    expect(redactUrl("/verify-email?change=abc")).toBe("/verify-email?[redacted]");
    expect(redactUrl("/login/2fa?redirectTo=%2F")).toBe("/login/2fa?[redacted]");
  });

  it("keeps the allowlisted navigation parameters of their known shape, and marks the rest", () => {
    expect(redactUrl("/b/general?tab=new&page=2")).toBe("/b/general?tab=new&page=2");
    expect(redactUrl("/t/12/how-to-send?page=3&sort=date")).toBe("/t/12/how-to-send?page=3&sort=date");
    expect(redactUrl("/b/general?tab=new&q=hello")).toBe("/b/general?tab=new&[redacted]");
    expect(redactUrl("/login?redirectTo=%2Fask")).toBe("/login?[redacted]");
    expect(redactUrl("/x?token=abc&code=123456&otp=1")).toBe("/x?[redacted]");
    // A known name with a value of the wrong shape (a key where a page number goes) is dropped.
    expect(redactUrl(`/b/general?page=${WIF.secret}`)).toBe("/b/general?[redacted]");
    expect(redactUrl(`/b/general?board=${WIF.secret}`)).toBe("/b/general?[redacted]");
    expect(redactUrl(`/b/general?board=${HEX.secret}`)).toBe("/b/general?[redacted]");
    expect(redactUrl("/_root.data?_routes=routes%2Fb.%24slug._index")).toBe("/_root.data?_routes=routes%2Fb.%24slug._index");
    expect(redactUrl("/?index")).toBe("/?index");
    expect(redactUrl("/b/general?toString=1&__proto__=x")).toBe("/b/general?[redacted]");
  });

  it("does not let a phrase through one allowlisted word at a time", () => {
    const url = "/b/general?" + PHRASE.words!.map((w) => `tab=${w}`).join("&");
    expect(redactUrl(url)).toBe("/b/general?[redacted]");
  });

  it("writes paths, but not token-like segments or a phrase spread over a slug or segments", () => {
    expect(redactUrl("/t/12/how-to-send-btc")).toBe("/t/12/how-to-send-btc");
    expect(redactUrl("/t/12/view.gif")).toBe("/t/12/view.gif");
    expect(redactUrl("/u/mei_lin")).toBe("/u/mei_lin");
    expect(redactUrl(`/t/1/${enc("钱包-备份")}`)).toBe(`/t/1/${enc("钱包-备份")}`);
    expect(redactUrl(`/t/12/${PHRASE.words!.join("-")}`)).toBe("/t/12/[redacted]");
    expect(redactUrl(`/${PHRASE.words!.join("/")}`)).not.toMatch(new RegExp(PHRASE.words!.slice(1, 4).join(".")));
    expect(redactUrl(`/${enc(PHRASE.secret)}`)).toBe("/[redacted]");
    expect(redactUrl(`/u/${WIF.secret}`)).toBe("/u/[redacted]");
    expect(redactUrl(`/x/${XPRV.secret}/y`)).toBe("/x/[redacted]/y");
    expect(redactUrl(`/reset/${"Zm9vYmFyYmF6cXV4cXV1eGNvcmdl"}`)).toBe("/reset/[redacted]");
    expect(redactUrl(`/t/${HEX.secret}`)).toBe("/t/[redacted]");
  });

  it("takes absolute URLs (request.url) and drops the origin and fragment", () => {
    expect(redactUrl("http://quorum.test/search?q=seed#top")).toBe("/search?[redacted]");
    expect(redactUrl("https://quorum.test")).toBe("/");
    expect(redactUrl("http://quorum.test/b/general?page=2#x")).toBe("/b/general?page=2");
  });

  it("survives malformed escapes", () => {
    expect(redactUrl("/b/%E0%A4%A?page=%zz")).toBe("/b/%E0%A4%A?[redacted]");
  });
});

describe("redactText and the log helper", () => {
  afterEach(() => vi.restoreAllMocks());

  it("masks phrases and keys and redacts URLs inside a message", () => {
    const out = redactText(`No route matches URL "/search?q=${enc(PHRASE.secret)}" near ${WIF.secret}`);
    expect(out).toContain("/search?[redacted]");
    expect(out).not.toContain(WIF.secret);
    expect(out).not.toContain(PHRASE.words!.slice(0, 3).join(" "));
    expect(redactText(`invalid input: ${PHRASE.secret}`)).not.toContain(PHRASE.words!.slice(4, 7).join(" "));
    expect(redactText("plain message")).toBe("plain message");
  });

  it("log.requestError writes the method and redacted URL, the masked message and the stack", () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    const request = new Request(`http://quorum.test/search/suggest?q=${enc(PHRASE.secret)}`);
    log.requestError(request, new Error(`duplicate key value (title)=(${PHRASE.secret}) ${XPRV.secret}`, { cause: new Error(HEX.secret) }));
    const out = lines.join("\n");
    expect(out).toMatch(/^quorum: error on GET \/search\/suggest\?\[redacted\]: Error: /);
    expect(out).toMatch(/\n\s+at /);
    for (const s of [PHRASE.words!.slice(0, 3).join(" "), XPRV.secret, HEX.secret]) expect(out).not.toContain(s);
  });

  it("not-found answers are not logged as errors (the access log has them)", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const notFound = { status: 404, statusText: "Not Found", internal: true, data: "", error: new Error(`No route matches URL "/${PHRASE.secret}"`) };
    log.requestError(new Request(`http://quorum.test/${enc(PHRASE.secret)}`), notFound);
    expect(spy).not.toHaveBeenCalled();
  });

  it("app code writes to the console only through app/web/log.server.ts", () => {
    // The operator's CLI prints to its terminal, and the server's start-up file its own start and stop lines.
    const allowed = new Set(["app/web/log.server.ts", "app/server/main.ts", "app/server/start.mjs", "app/server/build-server.mjs"]);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx|mjs|js)$/.test(name) && !p.startsWith("app/cli/") && !allowed.has(p) && /\bconsole\.\w+\s*\(/.test(readFileSync(p, "utf8")))
          offenders.push(p);
      }
    };
    walk("app");
    expect(offenders).toEqual([]);
    // Nor does anything print a request's URL unredacted.
    const main = readFileSync("app/server/main.ts", "utf8");
    expect(main).not.toMatch(/morgan\(\s*["'](tiny|combined|common|dev|short)["']/);
    expect(main).not.toMatch(/console\.\w+\([^)]*req(uest)?\.(url|originalUrl)/);
  });
});

describe("the query guard, slugs and login redirects", () => {
  it("questions phrases and keys however they are separated", () => {
    for (const s of [PHRASE, WIF, XPRV, HEX]) expect(holdsSecret(s.text), s.form).toBe(true);
    expect(holdsSecret(PHRASE.words!.join("-"))).toBe(true);
    expect(holdsSecret(PHRASE.words!.join("+"))).toBe(true);
    expect(holdsSecret("how do I back up my wallet before updating")).toBe(false);
  });

  it("a title holding a phrase or key never becomes a slug", () => {
    for (const s of [PHRASE, WIF, XPRV, HEX]) expect(slugify(s.text), s.form).toBe("thread");
    expect(slugify(`Lost access ${PHRASE.words!.join(" ")}`)).toBe("thread");
    expect(slugify("How do I back up my wallet?")).toBe("how-do-i-back-up-my-wallet");
  });

  it("login redirects never carry a phrase on", () => {
    expect(safeRedirectPath("/search?q=ledger")).toBe("/search?q=ledger");
    expect(safeRedirectPath(`/search?q=${enc(PHRASE.secret)}`)).toBe("/");
    expect(safeRedirectPath(`/search?q=${enc(enc(WIF.secret))}`)).toBe("/");
    expect(safeRedirectPath(`/t/1/${PHRASE.words!.join("-")}`)).toBe("/");
    expect(currentPath(new Request("http://quorum.test/ask?board=security"))).toBe("/ask?board=security");
    expect(currentPath(new Request(`http://quorum.test/ask?board=${enc(PHRASE.secret)}`))).toBe("/ask");
    expect(currentPath(new Request(`http://quorum.test/t/1/${PHRASE.words!.join("-")}?page=2`))).toBe("/");
  });

  it("a page whose URL holds a phrase or key is sent (303) to the same path without its query, or home", () => {
    const thrown = (url: string) => {
      try {
        refuseSecretUrl(new Request(url));
        return null;
      } catch (r) {
        return r instanceof Response ? `${r.status} ${r.headers.get("Location")}` : String(r);
      }
    };
    expect(thrown("http://quorum.test/b/security?tab=new")).toBeNull();
    expect(thrown(`http://quorum.test/b/security?tab=${enc(PHRASE.secret)}`)).toBe("303 /b/security?refused=secret");
    expect(thrown(`http://quorum.test/u/${WIF.secret}`)).toBe("303 /?refused=secret");
  });
});
