#!/usr/bin/env node
// `npx keygate …`: the operator CLI. Runs cli/main.ts through tsx, registered in this process
// rather than spawning `node --import tsx` in a child, so signals (Ctrl-C during a re-seal) and
// exit codes need no forwarding. tsx is resolved from this package, wherever the caller is.
//
// Like `npm start`, the CLI works from the Keygate directory: ./.env, ./data and
// prisma/migrations resolve there. A relative KEYGATE_DATA_DIR given by the caller keeps
// meaning "relative to where I ran the command".
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
if (process.env.KEYGATE_DATA_DIR && !path.isAbsolute(process.env.KEYGATE_DATA_DIR)) {
  process.env.KEYGATE_DATA_DIR = path.resolve(process.env.KEYGATE_DATA_DIR);
}
process.chdir(packageDir);
register({ tsconfig: path.join(packageDir, "tsconfig.json") });
await import(pathToFileURL(path.join(packageDir, "cli", "main.ts")).href);
