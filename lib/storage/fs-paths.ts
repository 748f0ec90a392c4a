// Key and name encoding for the fs backend. See fs-backend.ts for the overall layout.
//
// A key's UTF-8 bytes are cut into "labels", left to right:
//   - the shortest piece of at least MIN_LABEL_BYTES ending in "/", if it fits in MAX_LABEL_BYTES
//                                                                     -> directory "d<hex>"
//   - otherwise MAX_LABEL_BYTES bytes when more than that remain        -> directory "d<hex>"
//   - otherwise the remainder (at most MAX_LABEL_BYTES, maybe empty)   -> object file "f<hex>"
// No directory label is a proper prefix of another label in the same directory (a shorter
// qualifying cut would have been taken), so each directory holds one contiguous key range.
// MIN_LABEL_BYTES bounds the depth: a key of 1024 "/" would otherwise need 1024 levels and a
// path beyond PATH_MAX; this way any key stays under ~2600 path bytes below the bucket.
// Lower-case hex keeps byte order under string comparison, makes every key (".", "..", "",
// NUL, unicode in any normalisation) a safe file name on case-insensitive file systems too,
// and only ever produces [0-9a-f] after the type letter: traversal is impossible by construction.
import { join } from "node:path";
import { StorageError } from "./types";

export const MAX_KEY_BYTES = 1024;
/** 1 type letter + 2 hex chars per byte stays well under the common 255-byte name limit. */
export const MAX_LABEL_BYTES = 120;
export const MIN_LABEL_BYTES = 4;
const SLASH = 0x2f;

/** One path component: `hex` is the label's key bytes, `dir` whether it is a directory. */
export type Label = { hex: string; dir: boolean };

export const labelName = (l: Label) => (l.dir ? "d" : "f") + l.hex;

/** Parses a directory entry name; anything we did not write (editor droppings, lost+found) is null. */
export function parseLabelName(name: string): Label | null {
  if (!/^[df](?:[0-9a-f]{2})*$/.test(name)) return null;
  const dir = name[0] === "d";
  if (dir && name.length === 1) return null;
  return { hex: name.slice(1), dir };
}

/** Validated UTF-8 bytes of an object key. */
export function keyBytes(key: string): Buffer {
  if (typeof key !== "string" || key.length === 0) {
    throw new StorageError("InvalidArgument", "Object key must not be empty");
  }
  const bytes = Buffer.from(key, "utf8");
  // A lone surrogate is encoded as U+FFFD and would collide with a different key.
  if (bytes.toString("utf8") !== key) throw new StorageError("InvalidArgument", "Object key is not valid UTF-8");
  if (bytes.length > MAX_KEY_BYTES) {
    throw new StorageError("KeyTooLongError", "Your key is too long", 400);
  }
  return bytes;
}

/** Cuts key bytes into labels (see the header comment). The last label is always the file. */
export function splitLabels(bytes: Buffer): Label[] {
  const labels: Label[] = [];
  let pos = 0;
  for (;;) {
    const slash = bytes.indexOf(SLASH, pos + MIN_LABEL_BYTES - 1);
    let end: number;
    if (slash !== -1 && slash + 1 - pos <= MAX_LABEL_BYTES) end = slash + 1;
    else if (bytes.length - pos > MAX_LABEL_BYTES) end = pos + MAX_LABEL_BYTES;
    else {
      labels.push({ hex: bytes.subarray(pos).toString("hex"), dir: false });
      return labels;
    }
    labels.push({ hex: bytes.subarray(pos, end).toString("hex"), dir: true });
    pos = end;
  }
}

/**
 * The directory labels every key starting with `prefix` shares. Only complete directory labels
 * of the prefix qualify: its trailing file label may still grow into something else.
 */
export function prefixDirLabels(prefix: Buffer): Label[] {
  return splitLabels(prefix).slice(0, -1);
}

const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Bucket names are validated by the caller; this only guarantees a harmless path component. */
export function checkBucketName(bucket: string): void {
  if (typeof bucket !== "string" || !BUCKET_RE.test(bucket) || bucket.includes("..")) {
    throw new StorageError("InvalidBucketName", "The specified bucket is not valid", 400);
  }
}

const UPLOAD_ID_RE = /^[A-Za-z0-9_-]{22}$/;

/** Upload ids come from clients: anything that is not one of ours cannot exist. */
export function checkUploadId(uploadId: string): void {
  if (typeof uploadId !== "string" || !UPLOAD_ID_RE.test(uploadId)) {
    throw new StorageError("NoSuchUpload", "The specified upload does not exist");
  }
}

export type Layout = { root: string; tmpDir: string; bucketsDir: string };

export function layoutOf(rootDir: string): Layout {
  return { root: rootDir, tmpDir: join(rootDir, ".tmp"), bucketsDir: join(rootDir, "buckets") };
}

export const bucketDir = (l: Layout, bucket: string) => join(l.bucketsDir, bucket);
export const objectsDir = (l: Layout, bucket: string) => join(l.bucketsDir, bucket, "objects");
export const uploadsDir = (l: Layout, bucket: string) => join(l.bucketsDir, bucket, "uploads");

/** Absolute path of a key's object file, plus its directory labels (to create parents). */
export function objectPath(l: Layout, bucket: string, key: string): { path: string; dirs: Label[] } {
  checkBucketName(bucket);
  const labels = splitLabels(keyBytes(key));
  return { path: join(objectsDir(l, bucket), ...labels.map(labelName)), dirs: labels.slice(0, -1) };
}

export function hexToKey(hex: string): string {
  return Buffer.from(hex, "hex").toString("utf8");
}
