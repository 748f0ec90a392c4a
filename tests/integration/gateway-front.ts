// A front gateway whose region ("front") forwards to an upstream Keygate gateway through the `s3`
// backend (as gateway-s3-backend.test.ts builds it), for suites that run on both backends.
import type { AddressInfo } from "node:net";
import { S3Client } from "@aws-sdk/client-s3";
import { inject } from "vitest";
import { EventWriter } from "../../gateway/event-writer";
import { KeyStore } from "../../gateway/key-store";
import { createMetrics } from "../../gateway/metrics";
import { createGatewayServer } from "../../gateway/server";
import { createMasterKey } from "../../lib/keys/create-keys";
import { createS3Backend } from "../../lib/storage/s3-backend";
import type { StorageBackend } from "../../lib/storage/types";
import type { Gateway } from "./gateway-harness";
import { seedProject } from "./gateway-harness";
import { testDb } from "./helpers";

export async function startFrontGateway(upstream: Gateway) {
  const up = await seedProject(upstream, []);
  const upstreamKey = await createMasterKey(testDb(), up.admin, { projectId: up.project.id, name: "upstream", regionId: "local" });
  await testDb().region.upsert({ where: { id: "front" }, create: { id: "front", endpoint: "http://front.invalid" }, update: {} });
  const storage: StorageBackend = createS3Backend({
    endpoint: upstream.url, region: "local", accessKeyId: upstreamKey.accessKeyId, secretAccessKey: upstreamKey.secret, forcePathStyle: true,
  });
  const db = testDb();
  const keys = new KeyStore(db, inject("databaseUrl"));
  const events = new EventWriter(inject("databaseUrl"), { intervalMs: 50 });
  await keys.start();
  events.start();
  const server = createGatewayServer({ db, keys, events, metrics: createMetrics(), storageFor: () => storage, domains: ["localhost"] });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, storage, upstreamKey,
    client: (creds: { accessKeyId: string; secret: string }, opts: { requestChecksumCalculation?: "WHEN_REQUIRED" } = {}) =>
      new S3Client({ endpoint: url, region: "front", forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secret }, ...opts }),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await events.stop();
      await keys.stop();
    },
  };
}
