// Object Lock request and response headers of the object operations.
//
// Writes (PutObject, CopyObject, CreateMultipartUpload, and POST Object as form fields) may carry x-amz-object-lock-mode +
// x-amz-object-lock-retain-until-date (needs write_retention, as S3 needs s3:PutObjectRetention)
// and x-amz-object-lock-legal-hold (needs write_legal_hold). GET/HEAD answer a version's lock
// headers only to keys holding read_retention / read_legal_hold (S3 leaves them out for callers
// without s3:GetObjectRetention / s3:GetObjectLegalHold). x-amz-bypass-governance-retention
// counts only for keys holding bypass_governance; for others it is ignored, so a GOVERNANCE-locked
// version stays refused with AccessDenied, as S3 does.
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import type { KeyPermission } from "../../lib/keys/permissions";
import type { LockOptions, ObjectLockState, RetentionMode } from "../../lib/storage/types";
import { S3Error, invalidArgument, invalidRequest } from "../errors";
import { headerValue } from "../router-headers";
import { parseRetainUntil } from "../xml-lock";
import type { OpRun } from "./context";

/** x-amz-bucket-object-lock-enabled: "true" asks for Object Lock; any other value but "false" is refused. */
export function objectLockRequested(req: IncomingMessage): boolean {
  const value = req.headersDistinct["x-amz-bucket-object-lock-enabled"]?.[0]?.trim().toLowerCase();
  if (value === undefined || value === "false") return false;
  if (value === "true") return true;
  throw new S3Error("InvalidArgument", "x-amz-bucket-object-lock-enabled must be true or false", 400, { ArgumentName: "x-amz-bucket-object-lock-enabled", ArgumentValue: value });
}

const can = (run: OpRun, p: KeyPermission) => run.can?.(p) ?? false; // fail closed
const denied = (p: KeyPermission) => new S3Error("AccessDenied", `Access Denied: this key does not have the ${p} permission.`, 403);

export const retainUntilInFuture = (d: Date) => {
  if (d.getTime() <= Date.now()) throw invalidArgument("The retain until date must be in the future!", "RetainUntilDate", d.toISOString());
};

/** The lock a write asks for; undefined without lock headers. Checks values and permissions. */
export const readLockHeaders = (run: OpRun) => readLockRequest((name) => headerValue(run.req.headers, name), (p) => can(run, p));

/**
 * The lock asked for by x-amz-object-lock-* values (headers, or POST Object form fields), checked
 * against S3's rules and the key's permissions (`allowed`).
 */
export function readLockRequest(get: (name: string) => string | undefined, allowed: (p: KeyPermission) => boolean): ObjectLockState | undefined {
  const mode = get("x-amz-object-lock-mode");
  const until = get("x-amz-object-lock-retain-until-date");
  const hold = get("x-amz-object-lock-legal-hold");
  if (mode === undefined && until === undefined && hold === undefined) return undefined;
  const lock: ObjectLockState = {};
  if (mode !== undefined || until !== undefined) {
    if (mode === undefined || until === undefined) {
      throw invalidArgument("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied", "x-amz-object-lock-mode");
    }
    if (mode !== "GOVERNANCE" && mode !== "COMPLIANCE") throw invalidArgument("Unknown wormMode directive.", "x-amz-object-lock-mode", mode);
    const retainUntil = parseRetainUntil(until, "x-amz-object-lock-retain-until-date");
    retainUntilInFuture(retainUntil);
    if (!allowed("write_retention")) throw denied("write_retention");
    lock.retention = { mode: mode as RetentionMode, retainUntil };
  }
  if (hold !== undefined) {
    if (hold !== "ON" && hold !== "OFF") throw invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", "x-amz-object-lock-legal-hold", hold);
    if (!allowed("write_legal_hold")) throw denied("write_legal_hold");
    lock.legalHold = hold === "ON";
  }
  return lock;
}

/** S3 requires Content-MD5 or a checksum on PUTs that carry Object Lock settings. */
export function requireIntegrity(headers: IncomingHttpHeaders, what: string): void {
  const trailer = headerValue(headers, "x-amz-trailer") ?? "";
  const has = headers["content-md5"] !== undefined || /(^|,)\s*x-amz-checksum-/i.test(trailer) ||
    Object.keys(headers).some((name) => name.startsWith("x-amz-checksum-") && name !== "x-amz-checksum-type");
  if (!has) throw invalidRequest(`Content-MD5 OR x-amz-checksum- HTTP header is required for ${what} requests with Object Lock parameters`);
}

export function lockOptions(run: OpRun): LockOptions {
  const asked = (headerValue(run.req.headers, "x-amz-bypass-governance-retention") ?? "").trim().toLowerCase() === "true";
  return asked && can(run, "bypass_governance") ? { bypassGovernance: true } : {};
}

/** GET/HEAD: the version's lock headers the caller may see. */
export function lockResponseHeaders(run: OpRun, lock: ObjectLockState | undefined): OutgoingHttpHeaders {
  if (!lock) return {};
  const out: OutgoingHttpHeaders = {};
  if (lock.retention && can(run, "read_retention")) {
    out["x-amz-object-lock-mode"] = lock.retention.mode;
    out["x-amz-object-lock-retain-until-date"] = lock.retention.retainUntil.toISOString();
  }
  if (lock.legalHold !== undefined && can(run, "read_legal_hold")) out["x-amz-object-lock-legal-hold"] = lock.legalHold ? "ON" : "OFF";
  return out;
}
