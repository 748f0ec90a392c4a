// Operation dispatch. handleOperation never rejects: every failure is rendered
// as an S3 error (or, once the body has started, ends the connection).
import type { S3Operation } from "../../lib/s3/operations";
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, uploadPart } from "./multipart";
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from "./buckets";
import { copyObject, uploadPartCopy } from "./copy";
import { deleteObjects } from "./delete-objects";
import { listMultipartUploads, listParts } from "./multipart-list";
import { listObjectsV1, listObjectsV2 } from "./list-objects";
import { getBucketVersioning, listObjectVersions, putBucketVersioning } from "./versions";
import { getObject, headObject } from "./object-read";
import {
  getObjectLegalHold, getObjectLockConfiguration, getObjectRetention, putObjectLegalHold, putObjectLockConfiguration, putObjectRetention,
} from "./object-lock";
import { deleteObject, putObject } from "./object-write";
import { type OpContext, type OpRun, resourceOf } from "./context";
import { notImplemented } from "../errors";
import { isClientFacing, sendError, setCommonHeaders, toS3Error } from "./respond";

export type { OpContext } from "./context";
export { sendError, setCommonHeaders } from "./respond";

/** Served outside the storage layer: bucket CORS (gateway/bucket-admin.ts), POST Object (gateway/post-object.ts). */
type ElsewhereOperation = "PutBucketCors" | "GetBucketCors" | "DeleteBucketCors" | "PostObject";

const HANDLERS: Record<Exclude<S3Operation, ElsewhereOperation>, (run: OpRun) => Promise<void>> = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  GetBucketLocation: getBucketLocation,
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: putBucketVersioning,
  ListObjects: listObjectsV1,
  ListObjectsV2: listObjectsV2,
  ListObjectVersions: listObjectVersions,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  CopyObject: copyObject,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
  GetObjectLockConfiguration: getObjectLockConfiguration,
  PutObjectLockConfiguration: putObjectLockConfiguration,
  GetObjectRetention: getObjectRetention,
  PutObjectRetention: putObjectRetention,
  GetObjectLegalHold: getObjectLegalHold,
  PutObjectLegalHold: putObjectLegalHold,
};

export async function handleOperation(ctx: OpContext): Promise<void> {
  const run: OpRun = { ...ctx, stats: ctx.stats ?? { inBytes: 0, outBytes: 0 } };
  setCommonHeaders(ctx.res, ctx.requestId);
  try {
    const handler = (HANDLERS as Partial<Record<S3Operation, (run: OpRun) => Promise<void>>>)[ctx.route.operation];
    if (!handler) throw notImplemented();
    await handler(run);
  } catch (err) {
    // A client that went away mid-request (aborted upload) is not a server fault.
    const clientGone = !ctx.req.socket || ctx.req.socket.destroyed;
    if (!isClientFacing(err) && !clientGone) ctx.onError?.(err);
    const s3 = toS3Error(err);
    s3.resource ??= resourceOf(ctx.route);
    ctx.onS3Error?.(s3);
    sendError(ctx.res, s3, ctx.requestId, ctx.req.method ?? "GET");
  }
}
