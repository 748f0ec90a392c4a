// CreateBucket / DeleteBucket through the gateway (MASTER keys and ADMIN region keys; the scope
// check already ran). They go through lib/buckets so the bucket row, the storage bucket and the
// event stay consistent with the console.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { OrgContext } from "../lib/auth/context";
import { createBucket, deleteBucket } from "../lib/buckets/buckets";
import type { Db } from "../lib/db";
import { isAppError } from "../lib/errors";
import type { S3Operation } from "../lib/s3/operations";
import type { StorageBackend } from "../lib/storage/types";
import { handleBucketCors } from "./bucket-cors-ops";
import type { CorsRules } from "./cors";
import { S3Error } from "./errors";
import type { GatewayKey } from "./key-store";
import { sendError, setCommonHeaders } from "./ops";
import { objectLockRequested } from "./ops/lock-headers";
import { isClientFacing, toS3Error as renderable } from "./ops/respond";
import type { S3Route } from "./router";
import { MAX_CREATE_BUCKET_XML_BYTES, parseCreateBucketConfiguration, readXmlBody } from "./xml-parse";

/** Operations that change or read the bucket itself through lib/buckets, not through storage. */
export const BUCKET_ADMIN_OPERATIONS: ReadonlySet<S3Operation> = new Set(["CreateBucket", "DeleteBucket", "PutBucketCors", "GetBucketCors", "DeleteBucketCors"]);

type Args = {
  req: IncomingMessage; res: ServerResponse; body: Readable; route: S3Route; requestId: string; key: GatewayKey; db: Db; storage: StorageBackend;
  cors?: CorsRules;
  /** The S3 error code sent to the client (for the request's event). */
  onS3Error?: (code: string) => void;
};

async function ownerContext(db: Db, key: GatewayKey): Promise<OrgContext> {
  const owner = await db.user.findUniqueOrThrow({ where: { id: key.ownerId }, select: { id: true, name: true, email: true } });
  return { actor: { userId: owner.id, name: owner.name, email: owner.email, userAgent: "s3-gateway" }, orgId: key.orgId, role: "ADMIN" };
}

function toS3Error(err: unknown, bucket: string): unknown {
  if (!isAppError(err)) return err;
  if (err.status === 409 && /not empty/i.test(err.message)) return new S3Error("BucketNotEmpty", "The bucket you tried to delete is not empty", 409);
  if (err.status === 409) return new S3Error("BucketAlreadyExists", "The requested bucket name is not available.", 409);
  if (err.status === 404) return new S3Error("NoSuchBucket", "The specified bucket does not exist", 404);
  if (err.status === 400) return new S3Error("InvalidBucketName", "The specified bucket is not valid.", 400, { BucketName: bucket });
  return err;
}

export async function handleBucketAdmin({ req, res, body, route, requestId, key, db, storage, onS3Error, cors }: Args): Promise<void> {
  const bucket = route.bucket!;
  try {
    const ctx = await ownerContext(db, key);
    if (route.operation !== "CreateBucket" && route.operation !== "DeleteBucket") {
      await handleBucketCors({ req, res, body, route, requestId, key, db, ctx, cors });
    } else if (route.operation === "CreateBucket") {
      const { locationConstraint } = parseCreateBucketConfiguration(await readXmlBody(body, MAX_CREATE_BUCKET_XML_BYTES));
      if (locationConstraint !== undefined && locationConstraint !== key.region) {
        throw new S3Error("IllegalLocationConstraintException", `The ${locationConstraint} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
      }
      if (key.buckets.some((b) => b.name === bucket)) throw new S3Error("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409);
      const objectLock = objectLockRequested(req);
      await createBucket(db, ctx, { projectId: key.projectId, regionId: key.region, name: bucket, objectLock }, () => storage);
      setCommonHeaders(res, requestId);
      res.writeHead(200, { location: `/${bucket}`, "content-length": 0 }).end();
    } else {
      body.resume();
      const row = await db.bucket.findUniqueOrThrow({ where: { regionId_name: { regionId: key.region, name: bucket } } });
      await deleteBucket(db, ctx, row.id, () => storage);
      setCommonHeaders(res, requestId);
      res.writeHead(204).end();
    }
  } catch (err) {
    const mapped = toS3Error(err, bucket);
    if (!isClientFacing(mapped)) console.error(`[gateway ${requestId}]`, err);
    const s3 = renderable(mapped);
    s3.resource ??= `/${bucket}`;
    onS3Error?.(s3.code);
    sendError(res, s3, requestId, req.method ?? "PUT");
  }
}
