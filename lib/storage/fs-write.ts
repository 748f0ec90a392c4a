// Atomic writes for the fs backend: stream into a temp file under <root>/.tmp (same file
// system as the buckets, so rename is atomic), fsync it, rename it over the target, fsync the
// directory. A crash at any point leaves the old file or the new one, plus at most a temp file
// that sweepTemp removes later.
import { createHash, randomBytes, type Hash } from "node:crypto";
import fsp from "node:fs/promises";
import { dirname, join } from "node:path";
import { close, closeNow, fsync, open, rename, write, writev } from "./fs-fd";
import { FIXED_TAIL_OFFSET, encodeFixedTail, encodeHeaderStart, type Digest, type HeaderJson } from "./fs-format";
import { fsyncDir } from "./fs-dirsync";
import { labelName, type Label } from "./fs-paths";
import { StorageError } from "./types";

export { fsyncDir };

export const errCode = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code;

/** Stored data is private to the service user (before umask). */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export type StageOptions = {
  json: HeaderJson;
  body: AsyncIterable<Uint8Array | string>;
  expectedSize?: number;
  /** Precomputed digest (multipart assembly): the data is then not hashed again. */
  digest?: Digest;
};

export type Staged = { tmpPath: string; size: number; digest: Digest; lastModified: Date };

/**
 * Unique within the tmp dir that processes share: a random prefix drawn once per process (and
 * its pid) plus a counter. A fresh randomBytes per name cost about 2 % of a 4 KiB PUT's CPU.
 */
const TEMP_PREFIX = randomBytes(8).toString("hex");
let tempSeq = 0;
export const tempName = (tmpDir: string, suffix: string) =>
  join(tmpDir, `${TEMP_PREFIX}${(++tempSeq).toString(36)}.${process.pid}.${suffix}`);

/**
 * Errors of the body still reach us through its async iterator; this listener only keeps one
 * emitted before we start reading (a client gone while we check the bucket) from becoming an
 * uncaught exception that would take the whole process down.
 */
export function guardBody<T>(body: T): T {
  const stream = body as { on?: (event: string, fn: () => void) => void };
  if (typeof stream.on === "function") stream.on("error", () => {});
  return body;
}

async function writeAll(fd: number, buf: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await write(fd, buf, done, buf.length - done, position + done);
    done += bytesWritten;
  }
}

/** Bodies up to this size are gathered in memory and written with their header in one write. */
const GATHER_BYTES = 64 * 1024;

type Chunk = Uint8Array | string;
const toBuffer = (chunk: Chunk) => (typeof chunk === "string" ? Buffer.from(chunk) : chunk);

/**
 * Reads the body until it ends or GATHER_BYTES are in hand. `done` tells whether that was all
 * of it: then the object file is written complete (header with final size and MD5, data) in a
 * single write, which for the usual small PUT means one write and one fsync.
 */
async function gather(it: AsyncIterator<Chunk>, md5: Hash | null) {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  while (bytes < GATHER_BYTES) {
    const r = await it.next();
    if (r.done) return { chunks, bytes, done: true };
    const buf = toBuffer(r.value);
    md5?.update(buf);
    chunks.push(buf);
    bytes += buf.length;
  }
  return { chunks, bytes, done: false };
}

/** The body's iterator; plain arrays of chunks (sync iterables, as for-await accepts them) too. */
function iterate(body: StageOptions["body"]): AsyncIterator<Chunk> {
  const sync = (body as unknown as Iterable<Chunk>)[Symbol.iterator];
  return typeof sync === "function" && !(Symbol.asyncIterator in body)
    ? (sync.call(body) as unknown as AsyncIterator<Chunk>) // awaiting a sync result is fine
    : body[Symbol.asyncIterator]();
}

/** Writes of the rest of a large body are gathered up to this size (one writev each). */
const WRITE_BATCH = 1024 * 1024;

async function writevAll(fd: number, bufs: Uint8Array[], position: number): Promise<void> {
  const { bytesWritten } = await writev(fd, bufs, position);
  let total = 0;
  for (const b of bufs) total += b.length;
  // Regular files take a whole writev; a short one (disk full is an error, not this) is finished piecewise.
  if (bytesWritten < total) await writeAll(fd, Buffer.concat(bufs).subarray(bytesWritten), position + bytesWritten);
}

/**
 * Copies the rest of the body to the file. Chunks are gathered into batches of WRITE_BATCH and
 * each batch is written (one writev, no copy) while the next one is read and hashed: the disk
 * and the network work at the same time, and memory stays bounded by two batches (waiting for
 * the write in flight before starting another is the backpressure).
 */
async function copyRest(fd: number, it: AsyncIterator<Chunk>, offset: number, md5: Hash | null): Promise<number> {
  let pos = offset;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let inFlight: Promise<void> | null = null;
  try {
    for (let r = await it.next(); !r.done; r = await it.next()) {
      const buf = toBuffer(r.value);
      md5?.update(buf);
      batch.push(buf);
      batchBytes += buf.length;
      if (batchBytes < WRITE_BATCH) continue;
      if (inFlight) await inFlight;
      inFlight = writevAll(fd, batch, pos);
      inFlight.catch(() => {}); // observed by the await above or below; never unhandled meanwhile
      pos += batchBytes;
      batch = [];
      batchBytes = 0;
    }
    if (inFlight) await inFlight;
    inFlight = null;
    if (batchBytes > 0) await writevAll(fd, batch, pos);
    return pos + batchBytes;
  } finally {
    // On failure, the caller closes the file: no write may still be running then.
    if (inFlight) await inFlight.catch(() => {});
  }
}

/**
 * Streams a body into a new temp file in the object format, durable on disk but not yet
 * visible. If the body errors (client gone, checksum verifier failed) the temp file is removed.
 */
export async function stage(tmpDir: string, opts: StageOptions): Promise<Staged> {
  const tmpPath = tempName(tmpDir, "tmp");
  const fd = await open(tmpPath, "wx", FILE_MODE);
  const it = iterate(opts.body);
  try {
    const md5 = opts.digest ? null : createHash("md5");
    const head = encodeHeaderStart(opts.json);
    const first = await gather(it, md5);
    let size = first.bytes;
    if (!first.done) {
      await writeAll(fd, Buffer.concat([head, ...first.chunks]), 0);
      size = (await copyRest(fd, it, head.length + first.bytes, md5)) - head.length;
    }
    if (opts.expectedSize !== undefined && size !== opts.expectedSize) {
      throw new StorageError("IncompleteBody", `Expected ${opts.expectedSize} bytes, received ${size}`, 400);
    }
    const digest = opts.digest ?? { md5: md5!.digest(), parts: 0 };
    const lastModified = new Date();
    const tail = encodeFixedTail(size, digest, lastModified);
    if (first.done) {
      tail.copy(head, FIXED_TAIL_OFFSET);
      await writeAll(fd, Buffer.concat([head, ...first.chunks]), 0);
    } else await writeAll(fd, tail, FIXED_TAIL_OFFSET);
    await fsync(fd);
    closeNow(fd); // durable already: the close has nothing left to write
    return { tmpPath, size, digest, lastModified };
  } catch (err) {
    await it.return?.().catch(() => {}); // stop reading a body we no longer want
    await close(fd).catch(() => {});
    await fsp.rm(tmpPath, { force: true });
    throw err;
  }
}

/**
 * Renames a staged file over `target`. A concurrent delete may prune the parent directories
 * between our mkdir and rename (ENOENT), so parents are re-created and the rename retried.
 */
export async function publish(staged: Staged, target: string, ensureParents?: () => Promise<void>): Promise<void> {
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await rename(staged.tmpPath, target);
        break;
      } catch (err) {
        if (errCode(err) !== "ENOENT" || !ensureParents || attempt >= 10) throw err;
        await ensureParents();
      }
    }
  } catch (err) {
    await fsp.rm(staged.tmpPath, { force: true });
    throw err;
  }
  await fsyncDir(dirname(target));
}

/**
 * Creates the label directories below `base` one level at a time. Never creates `base`
 * itself: a recursive mkdir would resurrect a bucket deleted meanwhile. Throws ENOENT when
 * `base` is gone; restarts when a concurrent prune removed a level we just saw.
 */
export async function ensureDirs(base: string, dirs: Label[]): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    let parent = base;
    let complete = true;
    for (const label of dirs) {
      const child = join(parent, labelName(label));
      try {
        await fsp.mkdir(child, DIR_MODE);
        await fsyncDir(parent);
      } catch (err) {
        if (errCode(err) === "ENOENT") {
          complete = false;
          break;
        }
        if (errCode(err) !== "EEXIST") throw err;
      }
      parent = child;
    }
    if (complete) return;
    await fsp.stat(base); // ENOENT here: the bucket is gone, let the caller map it
  }
  throw new Error(`could not create directories below ${base}`);
}

/** Removes now-empty directories from `dir` up to (not including) `base`. */
export async function pruneEmptyDirs(base: string, dir: string): Promise<void> {
  while (dir.length > base.length && dir.startsWith(base)) {
    try {
      await fsp.rmdir(dir);
    } catch (err) {
      if (errCode(err) !== "ENOENT") return; // ENOTEMPTY/EEXIST: still in use
    }
    dir = dirname(dir);
  }
}

/** Atomically detaches a directory (into the tmp dir) and then deletes it. False if missing. */
export async function removeDir(tmpDir: string, dir: string): Promise<boolean> {
  const trash = tempName(tmpDir, "trash");
  try {
    await fsp.rename(dir, trash);
  } catch (err) {
    if (errCode(err) === "ENOENT") return false;
    throw err;
  }
  await fsp.rm(trash, { recursive: true, force: true });
  return true;
}

/**
 * Deletes leftovers in the tmp dir (temp files of crashed writers, half-deleted trash) older
 * than maxAgeMs. Age-based because other processes may be writing there right now; an active
 * writer keeps touching its file.
 */
export async function sweepTemp(tmpDir: string, maxAgeMs: number): Promise<number> {
  const cutoff = Date.now() - maxAgeMs;
  let removed = 0;
  for (const name of await fsp.readdir(tmpDir).catch(() => [] as string[])) {
    const path = join(tmpDir, name);
    const st = await fsp.lstat(path).catch(() => null);
    if (!st) continue;
    // For directories ctime too: renaming one into .tmp (trash) does not touch its mtime.
    if ((st.isDirectory() ? Math.max(st.mtimeMs, st.ctimeMs) : st.mtimeMs) > cutoff) continue;
    await fsp.rm(path, { recursive: true, force: true }).then(() => removed++, () => {});
  }
  return removed;
}
