// ListObjectVersions of the `s3` backend: the upstream's page, versions and delete markers
// merged back into the one ordered list S3 sends.
//
// S3 sends one list (by key, then each key's versions and delete markers newest first); the SDK
// parses it into two arrays, each still in upstream order, and loses how they interleave. Their
// LastModified cannot restore it: S3 gives whole seconds, so a version and a delete marker
// written in the same second tie, and version ids are opaque (AWS's do not sort by time). So we
// read the order of the <Version> and <DeleteMarker> elements from the raw XML before the SDK
// parses it, and interleave the two arrays exactly as the upstream sent them.
import { Readable } from "node:stream";
import { ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import type { ListVersionsParams, ListVersionsResult, ObjectVersion } from "./types";

type UpstreamEntry = { Key?: string; VersionId?: string; IsLatest?: boolean; LastModified?: Date; ETag?: string; Size?: number };
type UpstreamPage = {
  Versions?: UpstreamEntry[]; DeleteMarkers?: UpstreamEntry[]; CommonPrefixes?: { Prefix?: string }[];
  IsTruncated?: boolean; NextKeyMarker?: string; NextVersionIdMarker?: string;
};

const entry = (e: UpstreamEntry, deleteMarker: boolean): ObjectVersion => ({
  key: e.Key ?? "", versionId: e.VersionId ?? "null", isLatest: Boolean(e.IsLatest), deleteMarker,
  size: deleteMarker ? 0 : (e.Size ?? 0), etag: deleteMarker ? '""' : (e.ETag ?? '""'), lastModified: e.LastModified ?? new Date(0),
  metadata: { userMetadata: {} },
});

/**
 * In document order, whether each entry element is a delete marker. Text in S3 XML never holds
 * a raw "<", so these tags can only be the elements themselves (<VersionId> does not match).
 */
function entryOrder(xml: string): boolean[] {
  return Array.from(xml.matchAll(/<(Version|DeleteMarker)>/g), (m) => m[1] === "DeleteMarker");
}

type HttpLike = { statusCode?: number; body?: unknown };

/** Makes the command record its response's entry order (see the header comment) as it passes. */
function recordOrder(cmd: ListObjectVersionsCommand): { order?: boolean[] } {
  const seen: { order?: boolean[] } = {};
  // Priority "low" in the deserialize step: inside the SDK's deserializer, so this sees the raw
  // HTTP response and hands the deserializer the same bytes (it accepts a Uint8Array body).
  cmd.middlewareStack.add((next) => async (args) => {
    const result = await next(args);
    const res = result.response as HttpLike;
    if (res?.statusCode === 200 && res.body instanceof Readable) {
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(Buffer.from(chunk as Uint8Array));
      const bytes = Buffer.concat(chunks);
      res.body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
      seen.order = entryOrder(bytes.toString("utf8"));
    }
    return result;
  }, { step: "deserialize", priority: "low", name: "keygateVersionEntryOrder" });
  return seen;
}

/** Without the document order: by key, the latest first, then newest first (ties stay versions first). */
function mergeByTime(versions: ObjectVersion[], markers: ObjectVersion[]): ObjectVersion[] {
  const cmp = (a: ObjectVersion, b: ObjectVersion) =>
    Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) || Number(b.isLatest) - Number(a.isLatest) || b.lastModified.getTime() - a.lastModified.getTime();
  return [...versions, ...markers].sort(cmp);
}

/** The upstream's one list: its two arrays interleaved in document order. */
function mergeEntries(page: Pick<UpstreamPage, "Versions" | "DeleteMarkers">, order?: boolean[]): ObjectVersion[] {
  const versions = (page.Versions ?? []).map((v) => entry(v, false));
  const markers = (page.DeleteMarkers ?? []).map((m) => entry(m, true));
  const markerCount = order?.filter(Boolean).length;
  if (!order || markerCount !== markers.length || order.length - markerCount !== versions.length) return mergeByTime(versions, markers);
  let v = 0;
  let m = 0;
  return order.map((isMarker) => (isMarker ? markers[m++] : versions[v++]));
}

export async function listUpstreamVersions(
  send: <T>(cmd: unknown) => Promise<T>, bucket: string, p: ListVersionsParams,
): Promise<ListVersionsResult> {
  const cmd = new ListObjectVersionsCommand({
    Bucket: bucket, Prefix: p.prefix, Delimiter: p.delimiter, KeyMarker: p.keyMarker, VersionIdMarker: p.versionIdMarker, MaxKeys: p.maxKeys,
  });
  const seen = recordOrder(cmd);
  const out = await send<UpstreamPage>(cmd);
  return {
    versions: mergeEntries(out, seen.order),
    commonPrefixes: (out.CommonPrefixes ?? []).map((c) => c.Prefix ?? ""),
    isTruncated: Boolean(out.IsTruncated),
    nextKeyMarker: out.NextKeyMarker,
    nextVersionIdMarker: out.NextVersionIdMarker,
  };
}
