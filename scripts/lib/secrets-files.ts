// Secrets the embedded default generates once into the data directory (mode 0600).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export async function readOrCreateSecretFile(file: string, generate: () => string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(path.dirname(file), { recursive: true });
  const value = generate();
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, value + "\n", { mode: 0o600 });
  await rename(tmp, file);
  return value;
}

export const generateAuthSecret = () => randomBytes(32).toString("base64url");
