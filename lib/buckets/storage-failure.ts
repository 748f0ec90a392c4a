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
