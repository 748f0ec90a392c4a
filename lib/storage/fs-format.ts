// On-disk format of one object (and of one multipart part): a single file, so data and
// metadata are replaced together by one rename.
//
//   0   "KGOB"             magic
//   4   u32 version (1)
//   8   u64 data size
//   16  16 bytes MD5       (for multipart objects: MD5 of the concatenated part MD5s)
//   32  u32 part count     (0 = single-part ETag)
//   36  f64 lastModified   (ms since epoch)
//   44  u32 JSON length
//   48  JSON { key, metadata }
//   48+JSON length: the data
//
// The fixed block comes first but is written last (pwrite): size and MD5 are only known once the
// stream ended, and the file is invisible until renamed, so nobody can see the placeholder.
import type { FileHandle } from "node:fs/promises";
import { closeNow, open, read } from "./fs-fd";
import type { ObjectInfo, ObjectMetadata } from "./types";

const MAGIC = "KGOB";
const VERSION = 1;
export const FIXED_BYTES = 48;
/** Sanity cap when reading: a longer "header" means the file is not ours or is damaged. */
const MAX_JSON_BYTES = 1 << 20;
const FIRST_READ = 4096;
/** First read when opening an object to serve it: a small object's data comes along with its header. */
export const OPEN_READ = 16 * 1024;

export type HeaderJson = { key: string; metadata: ObjectMetadata };

export type Digest = { md5: Buffer; parts: number };

export type Header = HeaderJson & Digest & { size: number; lastModified: Date; dataOffset: number };

/** A header and the bytes of the file's first read (which may hold all of a small object's data). */
export type HeaderRead = { header: Header; head: Buffer };

/** The header bytes to write before the data; the fixed block is a zeroed placeholder. */
export function encodeHeaderStart(json: HeaderJson): Buffer {
  const body = Buffer.from(JSON.stringify(json), "utf8");
  const head = Buffer.alloc(FIXED_BYTES);
  head.write(MAGIC, 0, "latin1");
  head.writeUInt32BE(VERSION, 4);
  head.writeUInt32BE(body.length, 44);
  return Buffer.concat([head, body]);
}

/** Bytes 8..44 of the fixed block, written once the data is complete. */
export function encodeFixedTail(size: number, digest: Digest, lastModified: Date): Buffer {
  const b = Buffer.alloc(36);
  b.writeBigUInt64BE(BigInt(size), 0);
  digest.md5.copy(b, 8);
  b.writeUInt32BE(digest.parts, 24);
  b.writeDoubleBE(lastModified.getTime(), 28);
  return b;
}
export const FIXED_TAIL_OFFSET = 8;

export function etagOf(d: Digest): string {
  return d.parts > 0 ? `"${d.md5.toString("hex")}-${d.parts}"` : `"${d.md5.toString("hex")}"`;
}

class CorruptObjectError extends Error {}

type ReadAt = (buf: Buffer, length: number, position: number) => Promise<number>;

/** Reads and validates the header through an open handle (so it matches that file's data). */
export async function readHeader(h: FileHandle, firstRead = FIRST_READ): Promise<HeaderRead> {
  return parseHeader(async (buf, length, position) => (await h.read(buf, 0, length, position)).bytesRead, firstRead);
}

/** Reads and validates the header through an open file descriptor. */
export function readHeaderFd(fd: number, firstRead = FIRST_READ): Promise<HeaderRead> {
  return parseHeader((buf, length, position) => read(fd, buf, 0, length, position).then((r) => r.bytesRead), firstRead);
}

/**
 * Reads one file's header via plain fds: listings read a thousand headers per page, and the
 * callback API costs about half of FileHandle's per call.
 */
export async function readHeaderAt(path: string): Promise<Header> {
  const fd = await open(path, "r");
  try {
    return (await parseHeader((buf, length, position) => read(fd, buf, 0, length, position).then((r) => r.bytesRead))).header;
  } finally {
    closeNow(fd);
  }
}

async function parseHeader(readAt: ReadAt, firstRead = FIRST_READ): Promise<HeaderRead> {
  // allocUnsafe: only the bytes actually read are ever looked at (head is cut to bytesRead).
  const first = Buffer.allocUnsafe(firstRead);
  const bytesRead = await readAt(first, firstRead, 0);
  if (bytesRead < FIXED_BYTES || first.toString("latin1", 0, 4) !== MAGIC || first.readUInt32BE(4) !== VERSION) {
    throw new CorruptObjectError("not a keygate object file");
  }
  const jsonLen = first.readUInt32BE(44);
  if (jsonLen > MAX_JSON_BYTES) throw new CorruptObjectError("object header too long");
  let json = first.subarray(FIXED_BYTES, Math.min(bytesRead, FIXED_BYTES + jsonLen));
  if (json.length < jsonLen) {
    json = Buffer.alloc(jsonLen);
    if ((await readAt(json, jsonLen, FIXED_BYTES)) !== jsonLen) throw new CorruptObjectError("truncated object header");
  }
  const parsed = JSON.parse(json.toString("utf8")) as HeaderJson;
  const header = {
    ...parsed,
    size: Number(first.readBigUInt64BE(8)),
    md5: Buffer.from(first.subarray(16, 32)),
    parts: first.readUInt32BE(32),
    lastModified: new Date(first.readDoubleBE(36)),
    dataOffset: FIXED_BYTES + jsonLen,
  };
  return { header, head: first.subarray(0, bytesRead) };
}

export function infoOf(h: Header): ObjectInfo {
  return { key: h.key, size: h.size, etag: etagOf(h), lastModified: h.lastModified, metadata: h.metadata };
}

/** A copy of metadata with only the known fields, so stored JSON never carries stray properties. */
export function cleanMetadata(m: ObjectMetadata): ObjectMetadata {
  const out: ObjectMetadata = { userMetadata: { ...(m?.userMetadata ?? {}) } };
  for (const f of ["contentType", "contentEncoding", "contentDisposition", "contentLanguage", "cacheControl", "expires"] as const) {
    if (m?.[f] !== undefined) out[f] = m[f];
  }
  return out;
}
