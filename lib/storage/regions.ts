import { getEnv, type RegionConfig } from "../env";
import { createFsBackend } from "./index";
import { createS3Backend } from "./s3-backend";
import type { StorageBackend } from "./types";

const backends = new Map<string, StorageBackend>();

export function createRegionBackend(region: RegionConfig): StorageBackend {
  const b = region.backend;
  if (b.type === "fs") return createFsBackend(b.path!);
  return createS3Backend({ endpoint: b.endpoint, region: b.region, accessKeyId: b.accessKeyId, secretAccessKey: b.secretAccessKey, forcePathStyle: b.forcePathStyle });
}

/** The storage backend of a configured region (one instance per process). */
export function getRegionStorage(regionId: string): StorageBackend {
  const cached = backends.get(regionId);
  if (cached) return cached;
  const region = getEnv().regions.find((r) => r.id === regionId);
  if (!region) throw new Error(`Unknown region "${regionId}"`);
  const backend = createRegionBackend(region);
  backends.set(regionId, backend);
  return backend;
}

export function listRegions() {
  return getEnv().regions.map((r) => ({ id: r.id, endpoint: r.endpoint, aliases: r.aliases }));
}

/** The other region names a key of this region may sign with (see lib/env.ts). */
export function regionAliases(regionId: string): readonly string[] {
  return getEnv().regions.find((r) => r.id === regionId)?.aliases ?? [];
}

/** The one region whose endpoint is served at `host` (Host header), if exactly one is. */
export function regionOfHost(host: string): string | undefined {
  const matches = getEnv().regions.filter((r) => URL.canParse(r.endpoint) && new URL(r.endpoint).host === host.toLowerCase());
  return matches.length === 1 ? matches[0].id : undefined;
}
