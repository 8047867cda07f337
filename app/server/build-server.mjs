// `npm run build`'s second step: compiles app/server/main.ts (the Express server) into
// build/server/main.js, so that `npm start` runs on plain Node. Running it through tsx cost ~110 MB of
// RSS (the loader's hooks thread and esbuild's in-memory transform of the 540 KB server build).
// Packages stay external (imported from node_modules at run time), as in the Remix server build.
import { build } from "esbuild";

await build({
  entryPoints: ["app/server/main.ts"],
  outfile: "build/server/main.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  // The app's own modules it imports (config, the secret guard's masking) by their tsconfig paths.
  alias: { "~": "./app", "~db": "./db" },
  logLevel: "warning",
});
