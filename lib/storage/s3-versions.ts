// ListObjectVersions of the `s3` backend: the upstream's page, versions and delete markers
// merged back into the one ordered list S3 sends (the SDK splits them into two arrays).
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

/** Upstream order: by key, then newest first; a key's versions and markers interleave by time. */
function merge(page: UpstreamPage): ObjectVersion[] {
  const all = [...(page.Versions ?? []).map((v) => entry(v, false)), ...(page.DeleteMarkers ?? []).map((m) => entry(m, true))];
  const cmp = (a: ObjectVersion, b: ObjectVersion) =>
    Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) || Number(b.isLatest) - Number(a.isLatest) || b.lastModified.getTime() - a.lastModified.getTime();
  return all.sort(cmp);
}

export async function listUpstreamVersions(
  send: <T>(cmd: unknown) => Promise<T>, bucket: string, p: ListVersionsParams,
): Promise<ListVersionsResult> {
  const out = await send<UpstreamPage>(new ListObjectVersionsCommand({
    Bucket: bucket, Prefix: p.prefix, Delimiter: p.delimiter, KeyMarker: p.keyMarker, VersionIdMarker: p.versionIdMarker, MaxKeys: p.maxKeys,
  }));
  return {
    versions: merge(out),
    commonPrefixes: (out.CommonPrefixes ?? []).map((c) => c.Prefix ?? ""),
    isTruncated: Boolean(out.IsTruncated),
    nextKeyMarker: out.NextKeyMarker,
    nextVersionIdMarker: out.NextVersionIdMarker,
  };
}
