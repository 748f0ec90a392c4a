// The `s3` backend keeps the upstream's order of a key's versions and delete markers, also when
// they were written in the same second. AWS S3 lists LastModified in whole seconds; the upstream
// here is a Keygate gateway (fs backend, millisecond times) behind a small proxy that cuts the
// listed times to whole seconds as AWS does, so a version and a delete marker written in one
// second tie, and only the upstream's own order can tell which is newer.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CreateBucketCommand, DeleteObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, type IssuedKey } from "../../lib/keys/create-keys";
import { createSigner, signedSend } from "../bench/sign";
import { startFrontGateway } from "./gateway-front";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

const REGION = "coarse";
let upstream: Gateway;
let proxy: http.Server;
let front: Awaited<ReturnType<typeof startFrontGateway>>;
let frontKey: IssuedKey;

/** Forwards every request unchanged (so the upstream verifies the front's signature); listed times lose their milliseconds. */
function startCoarseProxy(target: string): Promise<string> {
  const to = new URL(target);
  proxy = http.createServer((req, res) => {
    const up = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      const chunks: Buffer[] = [];
      ur.on("data", (c: Buffer) => chunks.push(c));
      ur.on("end", () => {
        const body = Buffer.from(Buffer.concat(chunks).toString("utf8").replace(/(<LastModified>[^<.]*)\.\d{3}Z</g, "$1.000Z<"));
        res.writeHead(ur.statusCode ?? 502, { ...ur.headers, "content-length": String(body.length) });
        res.end(body);
      });
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  return new Promise((resolve) => proxy.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  upstream = await startGateway();
  front = await startFrontGateway(upstream, { regionId: REGION, endpoint: await startCoarseProxy(upstream.url) });
  const fp = await seedProject(upstream, []);
  frontKey = await createMasterKey(testDb(), fp.admin, { projectId: fp.project.id, name: "front", regionId: REGION });
}, 60_000);

afterAll(async () => {
  await front?.stop();
  proxy?.closeAllConnections();
  await new Promise((r) => proxy?.close(r));
  await upstream?.stop();
});

const frontClient = () => front.client(frontKey);

/** Writes version, delete marker, version of one key; retried until all three fall in one second. */
async function sameSecondHistory(c: S3Client, bucket: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const key = `k-${attempt}`;
    const v1 = (await c.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "one" }))).VersionId!;
    const m1 = (await c.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))).VersionId!;
    const v2 = (await c.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "two" }))).VersionId!;
    // The upstream's own listing has the milliseconds.
    const direct = await s3(upstream, front.upstreamKey).send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
    const seconds = new Set([...(direct.Versions ?? []), ...(direct.DeleteMarkers ?? [])].map((e) => Math.floor(e.LastModified!.getTime() / 1000)));
    if (seconds.size === 1) return { key, v1, m1, v2 };
  }
  throw new Error("could not write three versions within one second");
}

describe("s3 backend: versions and delete markers written in the same second", () => {
  it("are listed in the upstream's order (newest first), in the XML and across pages", async () => {
    const c = frontClient();
    const bucket = `order-${randomBytes(3).toString("hex")}`;
    await c.send(new CreateBucketCommand({ Bucket: bucket }));
    await c.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const { key, v1, m1, v2 } = await sameSecondHistory(c, bucket);

    const listed = await c.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
    // The proxy really served whole seconds: the three times tie.
    expect(new Set([...listed.Versions!, ...listed.DeleteMarkers!].map((e) => e.LastModified!.getTime())).size).toBe(1);

    // The front gateway's XML is one list: the SDK would split it again, so read it raw.
    const signer = await createSigner({ accessKeyId: frontKey.accessKeyId, secret: frontKey.secret, region: REGION });
    const raw = await signedSend(signer, { method: "GET", url: `${front.url}/${bucket}?versions=&prefix=${key}` });
    expect(raw.status).toBe(200);
    const entries = Array.from(raw.body.toString("utf8").matchAll(/<(Version|DeleteMarker)>.*?<VersionId>([^<]*)<\/VersionId>/gs), (m) => [m[1], m[2]]);
    expect(entries).toEqual([["Version", v2], ["DeleteMarker", m1], ["Version", v1]]);

    // Paged one entry at a time, the markers lead through the same order.
    const seen: string[] = [];
    let marker: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (let i = 0; i < 4; i++) {
      const page = await c.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 1, ...marker }));
      seen.push(...[...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((e) => e.VersionId!));
      if (!page.IsTruncated) break;
      marker = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
    }
    expect(seen).toEqual([v2, m1, v1]);
  });
});
