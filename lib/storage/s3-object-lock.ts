// Object Lock of the `s3` backend: passed through to the upstream (which enforces it itself).
import {
  GetObjectLegalHoldCommand, GetObjectLockConfigurationCommand, GetObjectRetentionCommand, PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand, PutObjectRetentionCommand,
} from "@aws-sdk/client-s3";
import { StorageError, type ObjectLockConfig, type ObjectLockState, type ObjectRetention, type RetentionMode, type StorageBackend } from "./types";

type Send = <T>(cmd: unknown) => Promise<T>;

type UpstreamLockConfig = {
  ObjectLockConfiguration?: {
    ObjectLockEnabled?: string;
    Rule?: { DefaultRetention?: { Mode?: string; Days?: number; Years?: number } };
  };
};

const mode = (m: string | undefined): RetentionMode => (m === "COMPLIANCE" ? "COMPLIANCE" : "GOVERNANCE");

/** The upstream's configuration; a bucket without one (ObjectLockConfigurationNotFoundError) is `{ enabled: false }`. */
export async function upstreamLockConfig(send: Send, bucket: string): Promise<ObjectLockConfig> {
  let out: UpstreamLockConfig;
  try {
    out = await send<UpstreamLockConfig>(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
  } catch (err) {
    if (err instanceof StorageError && err.code === "ObjectLockConfigurationNotFoundError") return { enabled: false };
    throw err;
  }
  const cfg = out.ObjectLockConfiguration;
  const def = cfg?.Rule?.DefaultRetention;
  return {
    enabled: cfg?.ObjectLockEnabled === "Enabled",
    ...(def ? { defaultRetention: { mode: mode(def.Mode), ...(def.Years ? { years: def.Years } : { days: def.Days ?? 1 }) } } : {}),
  };
}

/** The lock parameters of a PutObject / CopyObject / CreateMultipartUpload. */
export function lockOut(lock: ObjectLockState | undefined) {
  if (!lock) return {};
  return {
    ...(lock.retention ? { ObjectLockMode: lock.retention.mode, ObjectLockRetainUntilDate: lock.retention.retainUntil } : {}),
    ...(lock.legalHold === undefined ? {} : { ObjectLockLegalHoldStatus: (lock.legalHold ? "ON" : "OFF") as "ON" | "OFF" }),
  };
}

export type LockHead = { ObjectLockMode?: string; ObjectLockRetainUntilDate?: Date; ObjectLockLegalHoldStatus?: string };

/** A HEAD/GET answer's lock headers as ObjectInfo.lock (undefined when there are none). */
export function lockIn(h: LockHead): ObjectLockState | undefined {
  const retention = h.ObjectLockMode && h.ObjectLockRetainUntilDate ? { mode: mode(h.ObjectLockMode), retainUntil: h.ObjectLockRetainUntilDate } : undefined;
  const legalHold = h.ObjectLockLegalHoldStatus === undefined ? undefined : h.ObjectLockLegalHoldStatus === "ON";
  return retention || legalHold !== undefined ? { ...(retention ? { retention } : {}), ...(legalHold === undefined ? {} : { legalHold }) } : undefined;
}

type LockOps = Pick<StorageBackend, "putObjectLockConfiguration" | "getObjectRetention" | "putObjectRetention" | "getObjectLegalHold" | "putObjectLegalHold">;

export function upstreamLockOps(send: Send): LockOps {
  const at = (ref: { bucket: string; key: string; versionId?: string }) => ({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId });
  return {
    putObjectLockConfiguration: async (bucket, config) => {
      const def = config.defaultRetention;
      await send(new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: config.enabled ? "Enabled" : undefined,
          ...(def ? { Rule: { DefaultRetention: { Mode: def.mode, ...(def.years ? { Years: def.years } : { Days: def.days }) } } } : {}),
        },
      }));
    },
    async getObjectRetention(ref): Promise<ObjectRetention> {
      const out = await send<{ Retention?: { Mode?: string; RetainUntilDate?: Date } }>(new GetObjectRetentionCommand(at(ref)));
      return { mode: mode(out.Retention?.Mode), retainUntil: out.Retention?.RetainUntilDate ?? new Date(0) };
    },
    putObjectRetention: async (ref, retention, opts) => {
      await send(new PutObjectRetentionCommand({
        ...at(ref), BypassGovernanceRetention: opts?.bypassGovernance || undefined,
        Retention: retention ? { Mode: retention.mode, RetainUntilDate: retention.retainUntil } : {},
      }));
    },
    getObjectLegalHold: async (ref) =>
      (await send<{ LegalHold?: { Status?: string } }>(new GetObjectLegalHoldCommand(at(ref)))).LegalHold?.Status === "ON",
    putObjectLegalHold: async (ref, on) => {
      await send(new PutObjectLegalHoldCommand({ ...at(ref), LegalHold: { Status: on ? "ON" : "OFF" } }));
    },
  };
}
