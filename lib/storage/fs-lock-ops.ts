// Object Lock operations on single versions of the fs backend: Get/PutObjectRetention and
// Get/PutObjectLegalHold. Storage and crash safety: fs-version-lock.ts.
import fsp from "node:fs/promises";
import { readLockFile } from "./fs-object-lock";
import { type FsContext, requireBucket } from "./fs-objects";
import { keyPaths, noSuchVersion } from "./fs-versions";
import { openVersion } from "./fs-versions-read";
import {
  checkRetentionChange, missingLockConfig, readLockState, serialized, sidecarPath, writeLockState,
} from "./fs-version-lock";
import { StorageError, type LockOptions, type ObjectLockState, type ObjectRef, type ObjectRetention } from "./types";

const noLockConfig = () => new StorageError("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration", 404);

type Target = { versionsDir: string; id: string; state: ObjectLockState };

/** The version `ref` names (latest when no versionId) and its lock state; the bucket must have Object Lock. */
async function target(ctx: FsContext, ref: ObjectRef): Promise<Target> {
  await requireBucket(ctx, ref.bucket);
  if (!(await readLockFile(ctx, ref.bucket)).enabled) throw missingLockConfig();
  const o = await openVersion(ctx, ref.bucket, ref.key, ref.versionId); // NoSuchKey, NoSuchVersion, 405 for markers
  await o.h.close();
  const { versionsDir } = keyPaths(ctx, ref.bucket, ref.key);
  const id = o.info.versionId ?? "null";
  return { versionsDir, id, state: await readLockState(versionsDir, id, o.header) };
}

/** Reads, checks and rewrites one version's state, serialized with its other changes and deletion. */
async function update(ctx: FsContext, ref: ObjectRef, change: (state: ObjectLockState) => ObjectLockState): Promise<void> {
  const first = await target(ctx, ref);
  await serialized(sidecarPath(first.versionsDir, first.id), async () => {
    const t = await target(ctx, { ...ref, versionId: first.id }); // again, inside the queue
    await writeLockState(ctx, t.versionsDir, t.id, change(t.state));
    // Deleted meanwhile (by another process): drop the sidecar rather than leave it behind.
    await openVersion(ctx, ref.bucket, ref.key, t.id).then((o) => o.h.close(), async (err) => {
      await fsp.unlink(sidecarPath(t.versionsDir, t.id)).catch(() => {});
      throw err instanceof StorageError ? noSuchVersion() : err;
    });
  });
}

export async function getRetention(ctx: FsContext, ref: ObjectRef): Promise<ObjectRetention> {
  const { state } = await target(ctx, ref);
  if (!state.retention) throw noLockConfig();
  return state.retention;
}

export async function putRetention(ctx: FsContext, ref: ObjectRef, retention: ObjectRetention | null, opts: LockOptions = {}): Promise<void> {
  await update(ctx, ref, (state) => {
    checkRetentionChange(state, retention, opts.bypassGovernance);
    const { retention: _old, ...rest } = state;
    return retention ? { ...rest, retention } : rest;
  });
}

export async function getLegalHold(ctx: FsContext, ref: ObjectRef): Promise<boolean> {
  const { state } = await target(ctx, ref);
  if (state.legalHold === undefined) throw noLockConfig();
  return state.legalHold;
}

export async function putLegalHold(ctx: FsContext, ref: ObjectRef, on: boolean): Promise<void> {
  await update(ctx, ref, (state) => ({ ...state, legalHold: on }));
}
