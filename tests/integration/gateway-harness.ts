// A real gateway (node:http, SigV4, key store with LISTEN/NOTIFY, event writer) on a free port,
// backed by the test database and a temporary fs storage directory.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { inject } from "vitest";
import { EventWriter } from "../../gateway/event-writer";
import { KeyStore } from "../../gateway/key-store";
import { createMetrics } from "../../gateway/metrics";
import type { GatewayDeps } from "../../gateway/s3-request";
import { createGatewayServer } from "../../gateway/server";
import type { OrgContext } from "../../lib/auth/context";
import { createBucket } from "../../lib/buckets/buckets";
import { createMasterKey } from "../../lib/keys/create-keys";
import { setKeyring } from "../../lib/keys/keyring";
import { parseSealingKeys } from "../../lib/keys/sealing";
import { createFsBackend } from "../../lib/storage";
import { createSigner } from "../bench/sign";
import { createOrgWith, testDb } from "./helpers";

/** A gateway server for `deps` on a free port of 127.0.0.1; `close` also ends open connections. */
export async function listenGateway(deps: GatewayDeps) {
  const server = createGatewayServer(deps);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export async function startGateway() {
  setKeyring(parseSealingKeys(`1:${randomBytes(32).toString("base64")}`));
  const dir = await mkdtemp(path.join(os.tmpdir(), "keygate-gw-"));
  const storage = createFsBackend(dir);
  const db = testDb();
  const keys = new KeyStore(db, inject("databaseUrl"));
  const metrics = createMetrics();
  const events = new EventWriter(inject("databaseUrl"), { intervalMs: 50 });
  await keys.start();
  events.start();
  const { server, url, close } = await listenGateway({ db, keys, events, metrics, storageFor: () => storage, domains: ["localhost"] });
  return {
    url, storage, keys, events, metrics, server,
    stop: async () => {
      await close();
      await events.stop();
      await keys.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type Gateway = Awaited<ReturnType<typeof startGateway>>;

/**
 * Resolves once the gateway's key store has processed a key-change NOTIFY for `payload`; call it
 * before the change. The NOTIFY reaches the gateway a few ms after the COMMIT, so a request sent
 * the moment the change returns may still be served from the cache (gateway-revocation measures
 * that window); tests that check the state after the change wait for this instead of sleeping.
 */
export function keyChangeHeard(gw: Gateway, payload: string, timeoutMs = 5000): Promise<void> {
  const keys = gw.keys;
  const original = keys.invalidate;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      keys.invalidate = original;
      reject(new Error(`the gateway did not hear of a change to ${payload} within ${timeoutMs} ms`));
    }, timeoutMs);
    keys.invalidate = function (this: typeof keys, heard: string) {
      original.call(this, heard);
      if (heard !== payload) return;
      keys.invalidate = original;
      clearTimeout(timer);
      resolve();
    };
  });
}

/** An org with an ADMIN, a project and the named buckets (created in DB and storage). */
export async function seedProject(gw: Gateway, bucketNames: string[]) {
  const { org, members } = await createOrgWith(["ADMIN", "MEMBER_PLUS", "MEMBER"]);
  const project = await testDb().project.create({ data: { orgId: org.id, name: "gw" } });
  const suffix = randomBytes(3).toString("hex");
  const buckets: string[] = [];
  for (const n of bucketNames) {
    const name = `${n}-${suffix}`;
    await createBucket(testDb(), members.ADMIN, { projectId: project.id, regionId: "local", name }, () => gw.storage);
    buckets.push(name);
  }
  return { org, members, project, buckets, admin: members.ADMIN as OrgContext };
}

export function s3(gw: Gateway, creds: { accessKeyId: string; secret: string }, region = "local") {
  return new S3Client({
    endpoint: gw.url, region, forcePathStyle: true,
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secret },
    maxAttempts: 1,
  });
}

/** seedProject plus a master key, an SDK client and a raw-HTTP signer (tests/bench/sign.ts) for it. */
export async function seedMasterKey(gw: Gateway, bucketNames: string[]) {
  const seeded = await seedProject(gw, bucketNames);
  const key = await createMasterKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "m", regionId: "local" });
  const signer = await createSigner({ accessKeyId: key.accessKeyId, secret: key.secret, region: "local" });
  return { ...seeded, key, client: s3(gw, key), signer };
}
