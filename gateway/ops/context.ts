// What every operation handler receives. The server (gateway/server.ts) builds
// the OpContext after authentication and authorization; handleOperation adds
// the per-request byte counters.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { KeyPermission } from "../../lib/keys/permissions";
import type { StorageBackend } from "../../lib/storage/types";
import type { S3Route } from "../router";
import type { Owner } from "../xml-lists";
import { S3Error } from "../errors";

export type OpContext = {
  req: IncomingMessage;
  res: ServerResponse;
  /** The decoded payload (aws-chunked already unwrapped by the server). */
  body: Readable;
  storage: StorageBackend;
  route: S3Route;
  requestId: string;
  /** Region name of this gateway, e.g. "us-east-1" (GetBucketLocation, x-amz-bucket-region). */
  region: string;
  /** Buckets visible to the caller for ListBuckets, already filtered to the key's scope. */
  listBuckets?: () => Promise<{ name: string; createdAt: Date }[]>;
  /**
   * Payload bytes received and body bytes sent, counted as they flow (not reported at the end:
   * the response's "close", where the gateway records the request, can come before a streamed
   * body's pipeline has settled). Absent = counted for nobody.
   */
  stats?: ByteStats;
  /** Called with unexpected errors (rendered to the client as a generic 500) for logging. */
  onError?: (err: unknown) => void;
  /** Called with the S3 error sent to the client when the operation fails (for events: errorCode). */
  onS3Error?: (err: S3Error) => void;
  /**
   * True when the server already verifies Content-MD5 on `body` (gateway/request-body.ts
   * does); the layer then skips its own check instead of hashing the payload twice.
   */
  bodyVerified?: boolean;
  /** Per-object scope check for multi-object operations (DeleteObjects); null = allowed. */
  authorizeObject?: (key: string, versionId?: string) => { code: string; message: string } | null;
  /**
   * Whether the key holds a permission, for what one request may do beyond its operation's own
   * permission (Object Lock headers: lock-headers.ts). Absent = nothing extra (fail closed).
   */
  can?: (permission: KeyPermission) => boolean;
  /** Owner shown in listings; defaults to DEFAULT_OWNER. */
  owner?: Owner;
};

export type ByteStats = { inBytes: number; outBytes: number };

/** An OpContext while a handler runs, with its byte counters. */
export type OpRun = OpContext & { stats: ByteStats };

export const DEFAULT_OWNER: Owner = { id: "keygate", displayName: "keygate" };

export const ownerOf = (run: OpRun): Owner => run.owner ?? DEFAULT_OWNER;

/** The route's bucket; the router guarantees it for every bucket/object operation. */
export function bucketOf(run: OpRun): string {
  const { bucket } = run.route;
  if (bucket === undefined) throw new S3Error("InvalidRequest", "This operation requires a bucket", 400);
  return bucket;
}

export function objectOf(run: OpRun): { bucket: string; key: string } {
  const { key } = run.route;
  if (key === undefined) throw new S3Error("InvalidRequest", "This operation requires an object key", 400);
  return { bucket: bucketOf(run), key };
}

export function resourceOf(route: S3Route): string {
  if (route.bucket === undefined) return "/";
  return route.key === undefined ? `/${route.bucket}` : `/${route.bucket}/${route.key}`;
}
