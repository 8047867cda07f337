import { describe, expect, it } from "vitest";
import { useTestDb } from "../support/db";
import { call, makeRequest } from "../support/http";

useTestDb();

// Every route module with an action, found on disk: a new route cannot forget the origin check.
const modules = import.meta.glob<{ action?: (args: never) => unknown }>("../../app/routes/*.tsx", { eager: true });

describe("every action refuses requests from other sites", () => {
  const withActions = Object.entries(modules).filter(([, m]) => typeof m.action === "function");

  it("finds the route actions", () => {
    expect(withActions.length).toBeGreaterThanOrEqual(5);
  });

  it.each(withActions.map(([file, m]) => [file.replace("../../app/routes/", ""), m] as const))("%s", async (_file, m) => {
    for (const headers of [{ Origin: "https://evil.example" }, { Origin: "null" }, {}] as Record<string, string>[]) {
      const req = makeRequest("/anything", { method: "POST", form: { x: "1" }, headers });
      if (!("Origin" in headers)) req.headers.delete("Origin");
      const res = await call(m.action as never, req, { id: "1", slug: "x", username: "x" });
      expect(res.status).toBe(403);
    }
  });
});
