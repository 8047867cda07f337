import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// The fault suite (`npm run test:faults`): the production server against a throwaway PostgreSQL
// cluster that it restarts, stops and freezes under load. Bounded: a few minutes in all.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/faults/**/*.test.ts"],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: "forks",
    fileParallelism: false,
  },
});
