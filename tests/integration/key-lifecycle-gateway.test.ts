// Disable/enable and rotation overlap windows, end to end through the real gateway with the
// AWS SDK: how fast a disable is enforced (measured next to a revocation), both secrets
// working during a window with events telling them apart, and the old secret refused after it.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3ServiceException } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endOverlapWindows } from "../../lib/jobs/end-overlaps";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { setKeyDisabled } from "../../lib/keys/disable-key";
import { revokeKey } from "../../lib/keys/manage-keys";
import { endOverlap, rotateKey } from "../../lib/keys/rotate-key";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
beforeAll(async () => { gw = await startGateway(); });
afterAll(async () => { await gw?.stop(); });

/**
 * A GetObject body nobody reads keeps its socket: after 50 of them (the SDK's default pool) the
 * next request waits for a socket forever. Read it.
 */
const consumed = async (out: unknown) => {
  await (out as { Body?: { transformToByteArray(): Promise<Uint8Array> } }).Body?.transformToByteArray();
  return "OK";
};
const failure = (p: Promise<unknown>) =>
  p.then(consumed, (e) => (e instanceof S3ServiceException ? `${e.$metadata.httpStatusCode} ${e.name}: ${e.message}` : String(e)));
const code = (p: Promise<unknown>) => p.then(consumed, (e) => e?.name ?? String(e));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Workers GET an object with the key in a loop; `change` runs once the key is cached. Returns
 * the milliseconds from the change's commit to the first refused response, and what it said.
 */
async function refusalLatency(key: { accessKeyId: string; secret: string }, bucket: string, change: () => Promise<void>) {
  let stop = false;
  let committed = 0;
  let firstRefusal = NaN;
  let refusal = "";
  const worker = async () => {
    const client = s3(gw, key);
    while (!stop) {
      const r = await failure(client.send(new GetObjectCommand({ Bucket: bucket, Key: "o.txt" })));
      if (r !== "OK" && committed > 0 && Number.isNaN(firstRefusal)) {
        firstRefusal = performance.now();
        refusal = r;
      }
    }
    client.destroy();
  };
  const running = Array.from({ length: 4 }, worker);
  await sleep(500);
  await change();
  committed = performance.now();
  await sleep(1000);
  stop = true;
  await Promise.all(running);
  return { ms: firstRefusal - committed, refusal };
}

describe("disable and enable", () => {
  it("a disabled key is refused as fast as a revoked one, with a message that says so; enabling restores it", async () => {
    const { admin, project, buckets } = await seedProject(gw, ["dis"]);
    const master = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
    await s3(gw, master).send(new PutObjectCommand({ Bucket: buckets[0], Key: "o.txt", Body: "x" }));
    const rows: string[] = [];
    const disableMs: number[] = [];
    const revokeMs: number[] = [];
    for (let round = 0; round < 3; round++) {
      const a = await createSubKey(testDb(), admin, { projectId: project.id, name: `a${round}`, regionId: "local", permissions: ["read"] });
      const b = await createSubKey(testDb(), admin, { projectId: project.id, name: `b${round}`, regionId: "local", permissions: ["read"] });
      const disabled = await refusalLatency(a, buckets[0], () => setKeyDisabled(testDb(), admin, a.id, true));
      const revoked = await refusalLatency(b, buckets[0], () => revokeKey(testDb(), admin, b.id));
      expect(disabled.refusal).toBe("403 AccessDenied: Access Denied: the access key is disabled.");
      expect(revoked.refusal).toMatch(/^403 InvalidAccessKeyId/);
      disableMs.push(disabled.ms);
      revokeMs.push(revoked.ms);
      rows.push(`round ${round + 1}: disable ${disabled.ms.toFixed(1)} ms, revoke ${revoked.ms.toFixed(1)} ms`);
    }
    console.log(`[disable vs revoke] commit → first refused response, 4 clients looping GetObject: ${rows.join("; ")}`);
    // Same channel, same path: both within the generous bound of the revocation test.
    for (const ms of [...disableMs, ...revokeMs]) expect(ms).toBeLessThan(1000);

    const key = await createSubKey(testDb(), admin, { projectId: project.id, name: "toggle", regionId: "local", permissions: ["read"] });
    const client = s3(gw, key);
    expect(await code(client.send(new GetObjectCommand({ Bucket: buckets[0], Key: "o.txt" })))).toBe("OK");
    await setKeyDisabled(testDb(), admin, key.id, true);
    await sleep(100);
    expect(await code(client.send(new GetObjectCommand({ Bucket: buckets[0], Key: "o.txt" })))).toBe("AccessDenied");
    await setKeyDisabled(testDb(), admin, key.id, false);
    await sleep(100);
    expect(await code(client.send(new GetObjectCommand({ Bucket: buckets[0], Key: "o.txt" })))).toBe("OK"); // same secret, unchanged
    const types = (await testDb().event.findMany({ where: { keyId: key.id, type: { not: "key.request" } }, orderBy: { id: "asc" } })).map((e) => e.type);
    expect(types).toEqual(["key.created", "key.disabled", "key.enabled"]);
  }, 60_000);
});

describe("rotation with an overlap window", () => {
  it("both secrets work during the window with the AWS SDK, and the events tell them apart", async () => {
    const { admin, project, buckets } = await seedProject(gw, ["ovl"]);
    const first = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
    const old = s3(gw, first);
    await old.send(new ListObjectsV2Command({ Bucket: buckets[0] })); // cached
    const second = await rotateKey(testDb(), admin, first.id, { overlapMs: 3_600_000 });
    await sleep(100);
    const fresh = s3(gw, second);
    // PutObject with the SDK's default aws-chunked body: chunk signatures use the matching secret.
    await old.send(new PutObjectCommand({ Bucket: buckets[0], Key: "old.txt", Body: "signed with the previous secret" }));
    await fresh.send(new PutObjectCommand({ Bucket: buckets[0], Key: "new.txt", Body: "signed with the current secret" }));
    expect(await (await old.send(new GetObjectCommand({ Bucket: buckets[0], Key: "new.txt" }))).Body!.transformToString()).toBe("signed with the current secret");
    await gw.events.flush();
    const events = await testDb().event.findMany({ where: { keyId: first.id, type: "key.request", operation: { in: ["PutObject", "GetObject"] } }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.operation, e.objectKey, e.status, e.signedWith])).toEqual([
      ["PutObject", "old.txt", 200, "previous"], ["PutObject", "new.txt", 200, "current"], ["GetObject", "new.txt", 200, "previous"],
    ]);

    // Ending the overlap: the previous secret is refused and destroyed at once.
    await endOverlap(testDb(), admin, first.id);
    await sleep(100);
    expect(await code(old.send(new ListObjectsV2Command({ Bucket: buckets[0] })))).toBe("SignatureDoesNotMatch");
    expect(await code(fresh.send(new ListObjectsV2Command({ Bucket: buckets[0] })))).toBe("OK");
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: first.id } });
    expect([row.previousSealedSecret, row.previousSecretLast4, row.previousSecretUntil]).toEqual([null, null, null]);
  });

  it("after a short window the old secret gets SignatureDoesNotMatch, and the job destroys it", async () => {
    const { admin, project, buckets } = await seedProject(gw, ["short"]);
    const first = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
    const old = s3(gw, first);
    const second = await rotateKey(testDb(), admin, first.id, { overlapMs: 1500 });
    await sleep(100);
    expect(await code(old.send(new ListObjectsV2Command({ Bucket: buckets[0] })))).toBe("OK");
    await sleep(1600);
    // No NOTIFY marks the end of a window: the gateway compares the end time on every request.
    expect(await code(old.send(new ListObjectsV2Command({ Bucket: buckets[0] })))).toBe("SignatureDoesNotMatch");
    expect(await code(s3(gw, second).send(new ListObjectsV2Command({ Bucket: buckets[0] })))).toBe("OK");
    expect((await testDb().accessKey.findUniqueOrThrow({ where: { id: first.id } })).previousSealedSecret).not.toBeNull();
    await endOverlapWindows(testDb()); // a job run of another test's stack may have ended it already: the outcome counts
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: first.id } });
    expect([row.previousSealedSecret, row.previousSecretUntil]).toEqual([null, null]);
    const ended = await testDb().event.findFirstOrThrow({ where: { keyId: first.id, type: "key.overlap_ended" } });
    expect(ended.data).toMatchObject({ reason: "window_ended" });
  });

  it("rotating again ends an open window first: at most two secrets work", async () => {
    const { admin, project, buckets } = await seedProject(gw, ["twice"]);
    const k1 = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId: "local" });
    const k2 = await rotateKey(testDb(), admin, k1.id, { overlapMs: 3_600_000 });
    const k3 = await rotateKey(testDb(), admin, k1.id, { overlapMs: 3_600_000 });
    await sleep(100);
    const list = (k: typeof k1) => code(s3(gw, k).send(new ListObjectsV2Command({ Bucket: buckets[0] })));
    expect([await list(k1), await list(k2), await list(k3)]).toEqual(["SignatureDoesNotMatch", "OK", "OK"]);
    const ended = await testDb().event.findFirstOrThrow({ where: { keyId: k1.id, type: "key.overlap_ended" } });
    expect(ended.data).toMatchObject({ reason: "rotated_again" });
  });

  it("the window never outlives the key", async () => {
    const { admin, project } = await seedProject(gw, []);
    const key = await createSubKey(testDb(), admin, { projectId: project.id, name: "s", regionId: "local", permissions: ["read"], expiry: "7d" });
    const row = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } });
    await rotateKey(testDb(), admin, key.id, { overlapMs: 30 * 86_400_000 });
    const after = await testDb().accessKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(after.previousSecretUntil?.getTime()).toBe(row.expiresAt?.getTime());
  });
});
