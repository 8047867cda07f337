import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// End-to-end: the built server on an ephemeral port, driven by Debian's Chromium through
// playwright-core. Run with `npm run test:e2e` (after `npm test`; .ci/run does both).
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/e2e/**/*.e2e.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
    // One server, one database: files run one after another.
    fileParallelism: false,
  },
});
