// Object Lock of the `s3` backend: passed through to the upstream.
import { GetObjectLockConfigurationCommand } from "@aws-sdk/client-s3";
import { StorageError, type ObjectLockConfig, type RetentionMode } from "./types";

type UpstreamLockConfig = {
  ObjectLockConfiguration?: {
    ObjectLockEnabled?: string;
    Rule?: { DefaultRetention?: { Mode?: string; Days?: number; Years?: number } };
  };
};

const mode = (m: string | undefined): RetentionMode => (m === "COMPLIANCE" ? "COMPLIANCE" : "GOVERNANCE");

/** The upstream's configuration; a bucket without one (ObjectLockConfigurationNotFoundError) is `{ enabled: false }`. */
export async function upstreamLockConfig(send: <T>(cmd: unknown) => Promise<T>, bucket: string): Promise<ObjectLockConfig> {
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
