/**
 * /_bench/ceiling: the benchmark's "framework ceiling" — a resource route served by the same
 * Express + Remix server as every page, but touching neither the database nor React (no root
 * loader runs for resource routes). `npm run bench` compares page throughput against it.
 */
export function loader() {
  return new Response("ok\n", { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
