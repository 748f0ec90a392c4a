// Object Lock operations: Get/PutObjectLockConfiguration (?object-lock), Get/PutObjectRetention
// (?retention) and Get/PutObjectLegalHold (?legal-hold), each with an optional versionId. The
// rules (what may be shortened, removed or bypassed) live in storage; headers: lock-headers.ts.
import type { ObjectRef } from "../../lib/storage/types";
import { S3Error, noSuchBucket } from "../errors";
import {
  MAX_LOCK_XML_BYTES, parseLegalHold, parseObjectLockConfiguration, parseRetention, renderLegalHold, renderObjectLockConfiguration,
  renderRetention,
} from "../xml-lock";
import { readXmlBody } from "../xml-parse";
import { prepareUpload } from "./body";
import { type OpRun, bucketOf, objectOf } from "./context";
import { lockOptions, requireIntegrity, retainUntilInFuture } from "./lock-headers";
import { sendEmpty, sendXml } from "./respond";

/** The body of a lock PUT: Content-MD5 or a checksum required (as S3), verified while read. */
async function lockBody(run: OpRun, what: string): Promise<string> {
  requireIntegrity(run.req.headers, what);
  const upload = prepareUpload(run);
  return upload.run(readXmlBody(upload.stream, MAX_LOCK_XML_BYTES));
}

const refOf = (run: OpRun): ObjectRef => ({ ...objectOf(run), versionId: run.route.versionId });

export async function getObjectLockConfiguration(run: OpRun): Promise<void> {
  const config = await run.storage.getObjectLockConfiguration(bucketOf(run));
  if (!config.enabled) {
    throw new S3Error("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", 404, { BucketName: bucketOf(run) });
  }
  sendXml(run, 200, renderObjectLockConfiguration(config));
}

export async function putObjectLockConfiguration(run: OpRun): Promise<void> {
  const bucket = bucketOf(run);
  const config = parseObjectLockConfiguration(await lockBody(run, "Put Object Lock Configuration"));
  if (!(await run.storage.bucketExists(bucket))) throw noSuchBucket(bucket);
  await run.storage.putObjectLockConfiguration(bucket, config);
  sendEmpty(run, 200);
}

export async function getObjectRetention(run: OpRun): Promise<void> {
  sendXml(run, 200, renderRetention(await run.storage.getObjectRetention(refOf(run))));
}

export async function putObjectRetention(run: OpRun): Promise<void> {
  const retention = parseRetention(await lockBody(run, "Put Object Retention"));
  if (retention) retainUntilInFuture(retention.retainUntil);
  await run.storage.putObjectRetention(refOf(run), retention, lockOptions(run));
  sendEmpty(run, 200);
}

export async function getObjectLegalHold(run: OpRun): Promise<void> {
  sendXml(run, 200, renderLegalHold(await run.storage.getObjectLegalHold(refOf(run))));
}

export async function putObjectLegalHold(run: OpRun): Promise<void> {
  const on = parseLegalHold(await lockBody(run, "Put Object Legal Hold"));
  await run.storage.putObjectLegalHold(refOf(run), on);
  sendEmpty(run, 200);
}
