// Atomic writes for the fs backend: stream into a temp file under <root>/.tmp (same file
// system as the buckets, so rename is atomic), fsync it, rename it over the target, fsync the
// directory. A crash at any point leaves the old file or the new one, plus at most a temp file
// that sweepTemp removes later.
import { createHash, randomBytes } from "node:crypto";
import fsp, { type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { FIXED_TAIL_OFFSET, encodeFixedTail, encodeHeaderStart, type Digest, type HeaderJson } from "./fs-format";
import { labelName, type Label } from "./fs-paths";
import { StorageError } from "./types";

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

export const tempName = (tmpDir: string, suffix: string) =>
  join(tmpDir, `${randomBytes(12).toString("hex")}.${process.pid}.${suffix}`);

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

async function writeAll(h: FileHandle, buf: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await h.write(buf, done, buf.length - done, position + done);
    done += bytesWritten;
  }
}

/** Copies the body to the file, one awaited write per chunk (that is the backpressure). */
async function copyInto(h: FileHandle, body: StageOptions["body"], offset: number, hash: boolean) {
  const md5 = hash ? createHash("md5") : null;
  let pos = offset;
  for await (const chunk of body) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    md5?.update(buf);
    await writeAll(h, buf, pos);
    pos += buf.length;
  }
  return { size: pos - offset, md5: md5 ? md5.digest() : Buffer.alloc(16) };
}

/**
 * Streams a body into a new temp file in the object format, durable on disk but not yet
 * visible. If the body errors (client gone, checksum verifier failed) the temp file is removed.
 */
export async function stage(tmpDir: string, opts: StageOptions): Promise<Staged> {
  const tmpPath = tempName(tmpDir, "tmp");
  const h = await fsp.open(tmpPath, "wx", FILE_MODE);
  try {
    const head = encodeHeaderStart(opts.json);
    await writeAll(h, head, 0);
    const { size, md5 } = await copyInto(h, opts.body, head.length, !opts.digest);
    if (opts.expectedSize !== undefined && size !== opts.expectedSize) {
      throw new StorageError("IncompleteBody", `Expected ${opts.expectedSize} bytes, received ${size}`, 400);
    }
    const digest = opts.digest ?? { md5, parts: 0 };
    const lastModified = new Date();
    await writeAll(h, encodeFixedTail(size, digest, lastModified), FIXED_TAIL_OFFSET);
    await h.sync();
    await h.close();
    return { tmpPath, size, digest, lastModified };
  } catch (err) {
    await h.close().catch(() => {});
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
        await fsp.rename(staged.tmpPath, target);
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

/** Makes a rename or unlink in `dir` durable. Some platforms cannot fsync directories. */
export async function fsyncDir(dir: string): Promise<void> {
  let h: FileHandle | undefined;
  try {
    h = await fsp.open(dir, "r");
    await h.sync();
  } catch (err) {
    if (!["EISDIR", "EPERM", "EINVAL", "EBADF", "ENOENT"].includes(errCode(err) ?? "")) throw err;
  } finally {
    await h?.close().catch(() => {});
  }
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
