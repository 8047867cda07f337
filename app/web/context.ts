// What the HTTP server passes to every loader and action (see app/server/main.ts).
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address: the socket's, or X-Forwarded-For's first hop behind a trusted proxy. */
    clientIp: string | null;
  }
}

export {};
