import pg from "pg";
import type { RegionConfig } from "../../lib/env";

/** Regions come from configuration; upsert them so keys and buckets can reference them. */
export async function syncRegions(databaseUrl: string, regions: (RegionConfig & { endpoint: string })[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const r of regions) {
      await client.query(
        `INSERT INTO "Region" (id, endpoint) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET endpoint = EXCLUDED.endpoint`,
        [r.id, r.endpoint],
      );
    }
  } finally {
    await client.end();
  }
}
