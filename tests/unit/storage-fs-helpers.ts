// Shared by the fs backend's unit tests.
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { expect } from "vitest";
import { StorageError } from "../../lib/storage/index";

export const body = (...chunks: (string | Buffer)[]) => Readable.from(chunks.map((c) => (typeof c === "string" ? Buffer.from(c) : c)));
export const md5 = (data: string | Buffer) => `"${createHash("md5").update(data).digest("hex")}"`;

export async function read(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function expectCode(p: Promise<unknown>, code: string, status?: number) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err, `expected ${code}`).toBeInstanceOf(StorageError);
  expect((err as StorageError).code).toBe(code);
  if (status !== undefined) expect((err as StorageError).status).toBe(status);
}
