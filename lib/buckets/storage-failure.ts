import { AppError } from "../errors";
import { StorageError } from "../storage/types";

/**
 * A region's storage refused or could not be reached, as a message a person can act on. S3
 * errors (fs or the upstream's) carry a deliberate message and code; anything else (connection
 * refused, timeout, DNS) is logged for the operator and reported without its details.
 */
export function storageFailure(regionId: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof StorageError && err.status < 500) {
    return new AppError(err.status === 409 ? 409 : 502, "storage_refused", `The storage of region ${regionId} refused: ${err.message} (${err.code}).`);
  }
  console.error(`[storage ${regionId}]`, err instanceof Error ? err.message : err);
  return new AppError(502, "storage_unavailable",
    `The storage of region ${regionId} could not be reached. Try again; if it keeps failing, ask the operator to check the region.`);
}

/**
 * For the storage call itself: an unreachable region becomes the clear 502 above, while the
 * storage's own S3 errors stay StorageErrors, so the gateway (which creates buckets through the
 * same lib function) still answers its clients with the S3 error the storage gave.
 */
export const unreachableStorage = (regionId: string) => (err: unknown): never => {
  throw err instanceof StorageError ? err : storageFailure(regionId, err);
};

/** For people (console, API, CLI): the storage's S3 errors as AppErrors with their message; other errors unchanged. */
export const explainStorageError = (regionId: string) => (err: unknown): never => {
  throw err instanceof StorageError ? storageFailure(regionId, err) : err;
};
