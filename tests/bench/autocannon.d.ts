// autocannon ships no types (and @types/autocannon is not installed): the little the runner uses.
declare module "autocannon" {
  type Stats = { average: number; total: number; p50: number; p97_5: number; p99: number };
  export type Result = { requests: Stats; latency: Stats; errors: number; timeouts: number; non2xx: number };
  type Instance = PromiseLike<Result> & { on(event: "response", fn: (client: unknown, status: number, bytes: number, time: number) => void): void };
  export default function autocannon(opts: { url: string; connections: number; duration: number; headers?: Record<string, string>; timeout?: number }): Instance;
}
