// ListObjects (v1) and ListObjectsV2 (ListObjectVersions: versions.ts).
import type { ListObjectsResult } from "../../lib/storage/types";
import { noSuchBucket } from "../errors";
import { renderListObjectsV1, renderListObjectsV2 } from "../xml-lists";
import { type OpRun, bucketOf, ownerOf } from "./context";
import { decodeContinuationToken, encodeContinuationToken, optional, parseEncodingType, parseMaxKeys } from "./list-params";
import { sendXml } from "./respond";

type Common = { bucket: string; prefix: string; delimiter?: string; maxKeys: number; encodingUrl: boolean };

function commonParams(run: OpRun): Common {
  const q = run.route.query;
  return {
    bucket: bucketOf(run),
    prefix: q.get("prefix") ?? "",
    delimiter: optional(q, "delimiter"),
    maxKeys: parseMaxKeys(q, "max-keys"),
    encodingUrl: parseEncodingType(q),
  };
}

/** max-keys=0 is answered without a listing (S3 returns an empty, untruncated page). */
async function list(run: OpRun, c: Common, after: string | undefined): Promise<ListObjectsResult> {
  if (c.maxKeys === 0) {
    if (!(await run.storage.bucketExists(c.bucket))) throw noSuchBucket(c.bucket);
    return { objects: [], commonPrefixes: [], isTruncated: false };
  }
  return run.storage.listObjects(c.bucket, {
    prefix: c.prefix || undefined,
    delimiter: c.delimiter,
    after,
    maxKeys: c.maxKeys,
  });
}

export async function listObjectsV1(run: OpRun): Promise<void> {
  const c = commonParams(run);
  const marker = run.route.query.get("marker") ?? "";
  const result = await list(run, c, marker || undefined);
  sendXml(run, 200, renderListObjectsV1({ ...c, ...result, marker, nextMarker: result.nextAfter, owner: ownerOf(run) }));
}

export async function listObjectsV2(run: OpRun): Promise<void> {
  const c = commonParams(run);
  const q = run.route.query;
  // S3 treats an empty continuation-token as absent (clients send one on their first page).
  const token = optional(q, "continuation-token");
  const startAfter = optional(q, "start-after");
  const after = token !== undefined ? decodeContinuationToken(token) : startAfter;
  const result = await list(run, c, after);
  const next = result.isTruncated && result.nextAfter !== undefined ? encodeContinuationToken(result.nextAfter) : undefined;
  sendXml(
    run,
    200,
    renderListObjectsV2({
      ...c, ...result, continuationToken: token, nextContinuationToken: next, startAfter,
      owner: q.get("fetch-owner") === "true" ? ownerOf(run) : undefined,
    }),
  );
}
