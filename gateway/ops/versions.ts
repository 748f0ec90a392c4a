// Bucket versioning: Get/PutBucketVersioning and ListObjectVersions, plus the version headers
// the object operations add to their answers.
import type { OutgoingHttpHeaders } from "node:http";
import type { DeleteResult } from "../../lib/storage/types";
import { invalidArgument, noSuchBucket } from "../errors";
import { renderVersioning } from "../xml";
import { renderListVersions } from "../xml-lists";
import { parseVersioningConfiguration, readXmlBody } from "../xml-parse";
import { type OpRun, bucketOf, ownerOf } from "./context";
import { optional, parseEncodingType, parseMaxKeys } from "./list-params";
import { sendEmpty, sendXml } from "./respond";

/** x-amz-version-id when the bucket is or was versioned (storage leaves it out otherwise). */
export const versionHeader = (versionId: string | undefined): OutgoingHttpHeaders =>
  versionId === undefined ? {} : { "x-amz-version-id": versionId };

/** DeleteObject's answer: the version removed or the delete marker created. */
export function deleteHeaders(r: DeleteResult): OutgoingHttpHeaders {
  return { ...versionHeader(r.versionId), ...(r.deleteMarker ? { "x-amz-delete-marker": "true" } : {}) };
}

export async function getBucketVersioning(run: OpRun): Promise<void> {
  const state = await run.storage.getBucketVersioning(bucketOf(run));
  sendXml(run, 200, renderVersioning(state === "Unversioned" ? undefined : state));
}

export async function putBucketVersioning(run: OpRun): Promise<void> {
  const bucket = bucketOf(run);
  const { status } = parseVersioningConfiguration(await readXmlBody(run.body, 64 * 1024));
  if (!(await run.storage.bucketExists(bucket))) throw noSuchBucket(bucket);
  await run.storage.putBucketVersioning(bucket, status);
  sendEmpty(run, 200);
}

export async function listObjectVersions(run: OpRun): Promise<void> {
  const q = run.route.query;
  const bucket = bucketOf(run);
  const prefix = q.get("prefix") ?? "";
  const delimiter = optional(q, "delimiter");
  const maxKeys = parseMaxKeys(q, "max-keys");
  const encodingUrl = parseEncodingType(q);
  const keyMarker = q.get("key-marker") ?? "";
  const versionIdMarker = q.get("version-id-marker") ?? "";
  if (versionIdMarker && !keyMarker) {
    throw invalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker", versionIdMarker);
  }
  const result = maxKeys === 0
    ? { versions: [], commonPrefixes: [], isTruncated: false }
    : await run.storage.listObjectVersions(bucket, {
        prefix: prefix || undefined, delimiter, maxKeys, keyMarker: keyMarker || undefined, versionIdMarker: versionIdMarker || undefined,
      });
  if (maxKeys === 0 && !(await run.storage.bucketExists(bucket))) throw noSuchBucket(bucket);
  sendXml(run, 200, renderListVersions({
    bucket, prefix, delimiter, maxKeys, encodingUrl, ...result, keyMarker, versionIdMarker, owner: ownerOf(run),
  }));
}
