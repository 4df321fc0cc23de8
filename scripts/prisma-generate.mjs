// Generate the Prisma client at install time without the schema-engine binary, which the Prisma CLI
// would otherwise download: generation does not use the engine, so any existing file stands in.
// The Prisma 7 CLI is called by its path, because node_modules/.bin/prisma may link to the Prisma
// 6.19 copy kept for `npm run db:diff`, which tries to download a query engine.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const prismaCli = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");

const result = spawnSync(process.execPath, [prismaCli, "generate"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true",
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
process.exit(result.status ?? 1);
