// Small settings files in a bucket's directory (buckets/<b>/versioning and object-lock) that
// every write must see current. Reading one per write cost a
// thread-pool round trip each (an open that usually fails with ENOENT) on top of the bucket's
// existence check; here that one stat of the bucket directory is both the existence check and
// the proof that no settings file changed, so an unchanged bucket costs one stat per write.
//
// Why the stat proves it, in this process and in every other (gateway workers, the console):
// settings files are only ever replaced by a rename into the bucket directory (temp file, fsync,
// rename, fsync dir), and a rename changes the directory's mtime and ctime. Writing a settings
// file in place would change neither, so NEVER write one in place. File-system timestamps advance
// in coarse ticks (a few ms), so two changes within one tick can leave the same times; a cached
// read is therefore only kept when the directory's times were at least QUIET_MS old when it was
// read: any later change then carries later times. A recently changed bucket is simply re-read.
import fsp from "node:fs/promises";
import { join } from "node:path";
import { stat } from "./fs-fd";
import { type FsContext, noSuchBucket } from "./fs-objects";
import { bucketDir, checkBucketName } from "./fs-paths";
import { errCode } from "./fs-write";

const QUIET_MS = 2000;
const MAX_BUCKETS = 10_000;

type Entry = { stamp: string; files: Map<string, string | null> };
const cache = new Map<string, Entry>();

/**
 * The content of the bucket's settings file `name` (null when it does not exist). Throws
 * NoSuchBucket when the bucket does not exist, so callers need no separate check.
 */
export async function readBucketFile(ctx: Pick<FsContext, "layout" | "ready">, bucket: string, name: string): Promise<string | null> {
  checkBucketName(bucket);
  await ctx.ready;
  const dir = bucketDir(ctx.layout, bucket);
  const startedMs = Date.now();
  const st = await stat(dir, { bigint: true }).catch((err) => (errCode(err) === "ENOENT" ? null : Promise.reject(err)));
  if (!st?.isDirectory()) throw noSuchBucket();
  const stamp = `${st.dev}:${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
  const entry = cache.get(dir);
  if (entry?.stamp === stamp && entry.files.has(name)) return entry.files.get(name) as string | null;
  const content = await fsp.readFile(join(dir, name), "utf8").catch((err) => (errCode(err) === "ENOENT" ? null : Promise.reject(err)));
  const newestMs = Number((st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs) / 1_000_000n);
  if (newestMs < startedMs - QUIET_MS) {
    const files = entry?.stamp === stamp ? entry.files : new Map<string, string | null>();
    files.set(name, content);
    if (cache.size >= MAX_BUCKETS && !cache.has(dir)) cache.clear();
    cache.set(dir, { stamp, files });
  }
  return content;
}
