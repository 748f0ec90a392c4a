// Object Lock state of single versions in the fs backend (bucket configuration: fs-object-lock.ts).
//
// A version's state is first set in its own header JSON ("lock": retention and legal hold asked
// for by the write or given by the bucket's default retention), so the version and the lock it
// was created with appear together in one rename: a crash can never leave a new version
// unlocked. Later changes (PutObjectRetention, PutObjectLegalHold) write the whole state to a
// sidecar beside the version, <dir>/v<hex>/<id>.l ("null.l" for the null version): temp file
// -> fsync -> rename over the old sidecar -> fsync dir, so a reader sees the old or the new
// state, never a torn one. When a sidecar exists it wins over the header.
// Deleting a version removes the version file first, then its sidecar: a crash between leaves
// an orphan sidecar, which listings, emptiness checks and bucket deletion ignore (names that
// are not <id>.o / <id>.m), never an unlocked version.
// Within one process, changes and deletions of one version run one after another (serialized
// below). Across processes sharing a root, a PutObjectRetention racing a DeleteObject of the
// same version (or two PutObjectRetention calls) may interleave between check and write; the
// fs backend has no cross-process lock, which we accept as for conditional writes.
import fsp from "node:fs/promises";
import { join } from "node:path";
import type { Header } from "./fs-format";
import { readLockFile, writeSynced } from "./fs-object-lock";
import type { FsContext } from "./fs-objects";
import { DIR_MODE, errCode, fsyncDir, tempName } from "./fs-write";
import { StorageError, type ObjectLockConfig, type ObjectLockState, type RetentionMode } from "./types";

/** The lock state as stored (header "lock" field and sidecar). */
export type LockJson = { retention?: { mode: RetentionMode; retainUntil: string }; legalHold?: boolean };

export const missingLockConfig = (forWrite = false) =>
  new StorageError("InvalidRequest", forWrite ? "Bucket is missing ObjectLockConfiguration" : "Bucket is missing Object Lock Configuration", 400);
export const objectLocked = () => new StorageError("AccessDenied", "Access Denied because object protected by object lock.", 403);

export function toLockJson(s: ObjectLockState): LockJson {
  return {
    ...(s.retention ? { retention: { mode: s.retention.mode, retainUntil: s.retention.retainUntil.toISOString() } } : {}),
    ...(s.legalHold === undefined ? {} : { legalHold: s.legalHold }),
  };
}

export function fromLockJson(j: LockJson | undefined): ObjectLockState {
  if (!j) return {};
  return {
    ...(j.retention ? { retention: { mode: j.retention.mode, retainUntil: new Date(j.retention.retainUntil) } } : {}),
    ...(j.legalHold === undefined ? {} : { legalHold: j.legalHold }),
  };
}

const hasAny = (s: ObjectLockState | undefined) => !!s && (s.retention !== undefined || s.legalHold !== undefined);

export const sidecarPath = (versionsDir: string, id: string) => join(versionsDir, `${id}.l`);

/** The version's state: its sidecar when there is one, else what its header says. */
export async function readLockState(versionsDir: string, id: string, header: Header): Promise<ObjectLockState> {
  try {
    return fromLockJson(JSON.parse(await fsp.readFile(sidecarPath(versionsDir, id), "utf8")) as LockJson);
  } catch (err) {
    if (errCode(err) !== "ENOENT" && errCode(err) !== "ENOTDIR") throw err;
  }
  return fromLockJson((header as Header & { lock?: LockJson }).lock);
}

/** Writes the whole state to the version's sidecar (see the header comment). */
export async function writeLockState(ctx: FsContext, versionsDir: string, id: string, state: ObjectLockState): Promise<void> {
  const tmp = tempName(ctx.layout.tmpDir, "lock");
  await writeSynced(tmp, JSON.stringify(toLockJson(state)));
  try {
    await fsp.mkdir(versionsDir, DIR_MODE).catch((err) => (errCode(err) === "EEXIST" ? undefined : Promise.reject(err)));
    await fsp.rename(tmp, sidecarPath(versionsDir, id));
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(versionsDir);
}

export const retentionActive = (s: ObjectLockState, now = new Date()) => !!s.retention && s.retention.retainUntil.getTime() > now.getTime();

/** A version may be deleted unless under legal hold or an active retention (GOVERNANCE bypassable). */
export function checkDeletable(s: ObjectLockState, bypassGovernance = false): void {
  if (s.legalHold) throw objectLocked();
  if (retentionActive(s) && !(s.retention!.mode === "GOVERNANCE" && bypassGovernance)) throw objectLocked();
}

/**
 * S3's rules for changing a retention: an active COMPLIANCE retention may only be extended (and
 * stay COMPLIANCE); an active GOVERNANCE one may be extended or turned into COMPLIANCE, and
 * shortened or removed only with the bypass.
 */
export function checkRetentionChange(current: ObjectLockState, next: ObjectLockState["retention"] | null, bypassGovernance = false): void {
  if (!retentionActive(current)) return;
  const cur = current.retention!;
  const extends_ = !!next && next.retainUntil.getTime() >= cur.retainUntil.getTime();
  if (cur.mode === "COMPLIANCE" && !(extends_ && next!.mode === "COMPLIANCE")) throw objectLocked();
  if (cur.mode === "GOVERNANCE" && !extends_ && !bypassGovernance) throw objectLocked();
}

/** The lock a new version gets: what the write asked for, else the bucket's default retention. */
export function lockForNewVersion(requested: ObjectLockState | undefined, config: ObjectLockConfig, now = new Date()): LockJson | undefined {
  if (!config.enabled) {
    if (hasAny(requested)) throw missingLockConfig(true);
    return undefined;
  }
  const state: ObjectLockState = { ...requested };
  const def = config.defaultRetention;
  if (!state.retention && def) {
    const until = new Date(now);
    if (def.years) until.setUTCFullYear(until.getUTCFullYear() + def.years);
    else until.setTime(until.getTime() + (def.days ?? 0) * 86_400_000);
    state.retention = { mode: def.mode, retainUntil: until };
  }
  return hasAny(state) ? toLockJson(state) : undefined;
}

/** The lock of a write into a bucket in `state`; only Enabled buckets can hold Object Lock. */
export async function lockForWrite(ctx: FsContext, bucket: string, enabled: boolean, requested?: ObjectLockState): Promise<LockJson | undefined> {
  if (!enabled) {
    if (hasAny(requested)) throw missingLockConfig(true);
    return undefined;
  }
  return lockForNewVersion(requested, await readLockFile(ctx, bucket));
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call with the same key has settled (one version's changes in order). */
export function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
  const tail = run.then(() => {}, () => {});
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}
