// A front gateway whose region ("front" by default) forwards to an upstream Keygate gateway
// through the `s3` backend (as gateway-s3-backend.test.ts builds it), for suites that run on both
// backends. `endpoint` puts something between the two (e.g. a proxy in front of the upstream).
import { S3Client } from "@aws-sdk/client-s3";
import { inject } from "vitest";
import { EventWriter } from "../../gateway/event-writer";
import { KeyStore } from "../../gateway/key-store";
import { createMetrics } from "../../gateway/metrics";
import { createMasterKey } from "../../lib/keys/create-keys";
import { createS3Backend } from "../../lib/storage/s3-backend";
import type { StorageBackend } from "../../lib/storage/types";
import type { Gateway } from "./gateway-harness";
import { listenGateway, seedProject } from "./gateway-harness";
import { testDb } from "./helpers";

export async function startFrontGateway(upstream: Gateway, opts: { regionId?: string; endpoint?: string } = {}) {
  const regionId = opts.regionId ?? "front";
  const up = await seedProject(upstream, []);
  const upstreamKey = await createMasterKey(testDb(), up.admin, { projectId: up.project.id, name: "upstream", regionId: "local" });
  await testDb().region.upsert({ where: { id: regionId }, create: { id: regionId, endpoint: `http://${regionId}.invalid` }, update: {} });
  const storage: StorageBackend = createS3Backend({
    endpoint: opts.endpoint ?? upstream.url, region: "local", accessKeyId: upstreamKey.accessKeyId, secretAccessKey: upstreamKey.secret, forcePathStyle: true,
  });
  const db = testDb();
  const keys = new KeyStore(db, inject("databaseUrl"));
  const events = new EventWriter(inject("databaseUrl"), { intervalMs: 50 });
  await keys.start();
  events.start();
  const { url, close } = await listenGateway({ db, keys, events, metrics: createMetrics(), storageFor: () => storage, domains: ["localhost"] });
  return {
    url, storage, upstreamKey,
    client: (creds: { accessKeyId: string; secret: string }, o: { requestChecksumCalculation?: "WHEN_REQUIRED" } = {}) =>
      new S3Client({ endpoint: url, region: regionId, forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secret }, ...o }),
    stop: async () => {
      await close();
      await events.stop();
      await keys.stop();
    },
  };
}
