import { randomFillSync } from "node:crypto";

// Request ids (16 upper-case hex characters, as S3's) from a pool of random bytes filled 4 KiB
// at a time: randomBytes per request cost a native call and a buffer for 8 bytes. The ids stay
// unpredictable (CSPRNG bytes, each used once).

const ID_BYTES = 8;
const pool = Buffer.allocUnsafe(ID_BYTES * 512);
let next = pool.length;

export function newRequestId(): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const id = pool.toString("hex", next, next + ID_BYTES).toUpperCase();
  next += ID_BYTES;
  return id;
}
