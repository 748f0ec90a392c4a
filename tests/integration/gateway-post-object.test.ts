// POST Object (browser form uploads) against the real gateway, with forms signed by the AWS
// SDK's createPresignedPost: conditions, success actions, and authorization exactly like
// PutObject (permission, bucket, prefix, source IP, expiry, revocation), with events.
import {
  CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, type S3Client,
} from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reloadEnv } from "../../lib/env";
import { createMasterKey, createSubKey, type IssuedKey } from "../../lib/keys/create-keys";
import { revokeKey } from "../../lib/keys/manage-keys";
import { rotateKey } from "../../lib/keys/rotate-key";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
let seeded: Awaited<ReturnType<typeof seedProject>>;
let bucket: string;
let master: IssuedKey;
let reader: S3Client;

type PostOpts = Parameters<typeof createPresignedPost>[1];
async function post(creds: IssuedKey, opts: Omit<PostOpts, "Bucket"> & { Bucket?: string }, body = "form bytes", extra: Record<string, string> = {}) {
  const { url, fields } = await createPresignedPost(s3(gw, creds), { Bucket: bucket, ...opts } as PostOpts);
  const form = new FormData();
  for (const [k, v] of Object.entries({ ...fields, ...extra })) form.append(k, v);
  form.append("file", new Blob([body]), "photo.jpg");
  const res = await fetch(url, { method: "POST", body: form, redirect: "manual" });
  return { status: res.status, text: await res.text(), headers: res.headers, url };
}
const codeOf = (text: string) => /<Code>([^<]+)<\/Code>/.exec(text)?.[1];

beforeAll(async () => {
  gw = await startGateway();
  seeded = await seedProject(gw, ["post"]);
  [bucket] = seeded.buckets;
  master = await createMasterKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "m", regionId: "local" });
  reader = s3(gw, master);
});
afterAll(async () => { await gw?.stop(); });

let subs = 0; // key names are unique per project
const sub = (over: Record<string, unknown> = {}) =>
  createSubKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: `s-${++subs}`, regionId: "local", permissions: ["read", "write", "list"], ...over });

describe("POST Object", () => {
  it("stores the file with the form's metadata; 204 by default, 201 with a PostResponse, 303 to a redirect", async () => {
    const r = await post(master, { Key: "uploads/${filename}", Fields: { "Content-Type": "image/jpeg" }, Conditions: [["starts-with", "$key", "uploads/"], ["eq", "$Content-Type", "image/jpeg"]] });
    expect(r.status, r.text).toBe(204);
    const got = await reader.send(new GetObjectCommand({ Bucket: bucket, Key: "uploads/photo.jpg" }));
    expect([await got.Body!.transformToString(), got.ContentType]).toEqual(["form bytes", "image/jpeg"]);
    expect(r.headers.get("etag")).toBe(got.ETag);
    const created = await post(master, { Key: "k201", Fields: { success_action_status: "201" }, Conditions: [{ success_action_status: "201" }] });
    expect(created.status).toBe(201);
    expect(created.text).toContain(`<Key>k201</Key>`);
    expect(created.headers.get("location")).toMatch(new RegExp(`^http://[^/]+/${bucket}/k201$`));
    expect(created.text).toContain(`<Location>${created.headers.get("location")}</Location>`);
    const redirect = await post(master, { Key: "k303", Fields: { success_action_redirect: "https://app.example.com/done" }, Conditions: [["starts-with", "$success_action_redirect", "https://app.example.com/"]] });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get("location")).toMatch(/^https:\/\/app\.example\.com\/done\?bucket=.*&key=k303&etag=/);
  });

  it("names the object with the scheme clients use: https behind a TLS proxy (KEYGATE_GATEWAY_URL)", async () => {
    const before = process.env.KEYGATE_GATEWAY_URL;
    process.env.KEYGATE_GATEWAY_URL = "https://s3.example.test";
    reloadEnv();
    try {
      const created = await post(master, { Key: "k-https", Fields: { success_action_status: "201" }, Conditions: [{ success_action_status: "201" }] });
      expect(created.status, created.text).toBe(201);
      expect(created.headers.get("location")).toMatch(new RegExp(`^https://[^/]+/${bucket}/k-https$`));
      expect(created.text).toContain(`<Location>${created.headers.get("location")}</Location>`);
    } finally {
      if (before === undefined) delete process.env.KEYGATE_GATEWAY_URL;
      else process.env.KEYGATE_GATEWAY_URL = before;
      reloadEnv();
    }
  });

  it("enforces the policy: conditions, content-length-range, extra fields, expiry, signature", async () => {
    const tooBig = await post(master, { Key: "big", Conditions: [["content-length-range", 1, 5]] }, "more than five bytes");
    expect([tooBig.status, codeOf(tooBig.text)]).toEqual([400, "EntityTooLarge"]);
    const tooSmall = await post(master, { Key: "small", Conditions: [["content-length-range", 100, 200]] }, "tiny");
    expect([tooSmall.status, codeOf(tooSmall.text)]).toEqual([400, "EntityTooSmall"]);
    expect(await reader.send(new HeadObjectCommand({ Bucket: bucket, Key: "big" })).catch((e) => e.name)).toBe("NotFound");
    const wrongKey = await post(master, { Key: "elsewhere/x", Conditions: [["starts-with", "$key", "uploads/"]] });
    expect([wrongKey.status, codeOf(wrongKey.text)]).toEqual([403, "AccessDenied"]);
    const extra = await post(master, { Key: "x" }, "x", { "x-amz-meta-sneaky": "1" });
    expect([extra.status, codeOf(extra.text)]).toEqual([403, "AccessDenied"]);
    const expired = await post(master, { Key: "x", Expires: -10 });
    expect([expired.status, codeOf(expired.text)]).toEqual([403, "AccessDenied"]);
    const forged = await post({ ...master, secret: master.secret + "x" }, { Key: "x" });
    expect([forged.status, codeOf(forged.text)]).toEqual([403, "SignatureDoesNotMatch"]);
  });

  it("is authorized like PutObject: permission, bucket, prefix, source IP, revocation", async () => {
    const readOnly = await sub({ permissions: ["read", "list"] });
    expect(codeOf((await post(readOnly, { Key: "ro" })).text)).toBe("AccessDenied");
    const prefixed = await sub({ prefix: "team/" });
    expect((await post(prefixed, { Key: "team/ok" })).status).toBe(204);
    expect(codeOf((await post(prefixed, { Key: "other/no" })).text)).toBe("AccessDenied");
    const elsewhere = await sub({ allowedCidrs: ["10.9.9.0/24"] });
    expect(codeOf((await post(elsewhere, { Key: "ip" })).text)).toBe("AccessDenied");
    const revoked = await sub();
    await revokeKey(testDb(), seeded.admin, revoked.id);
    expect(codeOf((await post(revoked, { Key: "rev" })).text)).toBe("InvalidAccessKeyId");
    expect(codeOf((await post(master, { Key: "x", Bucket: "no-such-bucket-post" })).text)).toBe("NoSuchBucket");
    const otherBucket = `${bucket}-o`;
    await reader.send(new CreateBucketCommand({ Bucket: otherBucket }));
    const otherId = (await testDb().bucket.findFirstOrThrow({ where: { name: otherBucket } })).id;
    const oneBucket = await sub({ bucketScope: "selected", bucketIds: [otherId] });
    expect((await post(oneBucket, { Bucket: otherBucket, Key: "mine" })).status).toBe(204);
    expect(codeOf((await post(oneBucket, { Key: "not-mine" })).text)).toBe("AccessDenied");
    const expired = await sub();
    await testDb().accessKey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(codeOf((await post(expired, { Key: "exp", Expires: 1 })).text)).toBe("AccessDenied");
  });

  it("accepts the previous secret during a rotation overlap window only, as header auth does", async () => {
    const k = await sub();
    const rotated = await rotateKey(testDb(), seeded.admin, k.id, { overlapMs: 60_000 });
    expect((await post(k, { Key: "old-secret.txt" })).status).toBe(204);
    expect((await post(rotated, { Key: "new-secret.txt" })).status).toBe(204);
    await gw.events.flush();
    const signed = await testDb().event.findMany({ where: { keyId: k.id, type: "key.request" }, select: { objectKey: true, signedWith: true }, orderBy: { id: "asc" } });
    expect(signed).toEqual([{ objectKey: "old-secret.txt", signedWith: "previous" }, { objectKey: "new-secret.txt", signedWith: "current" }]);
    const closed = await sub();
    await rotateKey(testDb(), seeded.admin, closed.id);
    expect(codeOf((await post(closed, { Key: "closed.txt" })).text)).toBe("SignatureDoesNotMatch");
  });

  it("answers 503 when the key store is down and 500 when storage fails, not MalformedPOSTRequest", async () => {
    const lookup = gw.keys.lookup;
    gw.keys.lookup = () => Promise.reject(new Error("database down"));
    const down = await post(master, { Key: "db-down" }).finally(() => { gw.keys.lookup = lookup; });
    expect([down.status, codeOf(down.text)]).toEqual([503, "ServiceUnavailable"]);
    const putObject = gw.storage.putObject;
    gw.storage.putObject = () => Promise.reject(new Error("disk on fire"));
    const broken = await post(master, { Key: "disk" }).finally(() => { gw.storage.putObject = putObject; });
    expect([broken.status, codeOf(broken.text)]).toEqual([500, "InternalError"]);
    expect(broken.text).not.toContain("disk on fire");
  });

  it("records the upload as the key's event", async () => {
    const k = await sub();
    await post(k, { Key: "evented.txt" });
    await gw.events.flush();
    const ev = await testDb().event.findFirstOrThrow({ where: { keyId: k.id, type: "key.request" }, select: { operation: true, objectKey: true, status: true, bucket: true } });
    expect(ev).toEqual({ operation: "PostObject", objectKey: "evented.txt", status: 204, bucket });
  });

  it("answers with x-amz-version-id in a versioned bucket (204, 201 and 303), and without it in an unversioned one", async () => {
    const unversioned = await post(master, { Key: "plain.txt" });
    expect([unversioned.status, unversioned.headers.get("x-amz-version-id")]).toEqual([204, null]);
    const vb = `${bucket}-v`;
    await reader.send(new CreateBucketCommand({ Bucket: vb }));
    await reader.send(new PutBucketVersioningCommand({ Bucket: vb, VersioningConfiguration: { Status: "Enabled" } }));
    const first = await post(master, { Bucket: vb, Key: "doc.txt" }, "first");
    const second = await post(master, { Bucket: vb, Key: "doc.txt", Fields: { success_action_status: "201" }, Conditions: [{ success_action_status: "201" }] }, "second");
    const third = await post(master, { Bucket: vb, Key: "doc.txt", Fields: { success_action_redirect: "https://app.example.com/done" }, Conditions: [["starts-with", "$success_action_redirect", "https://app.example.com/"]] }, "third");
    expect([first.status, second.status, third.status]).toEqual([204, 201, 303]);
    const ids = [first, second, third].map((r) => r.headers.get("x-amz-version-id"));
    const listed = await reader.send(new ListObjectVersionsCommand({ Bucket: vb, Prefix: "doc.txt" }));
    expect(listed.Versions?.map((v) => v.VersionId)).toEqual(ids.toReversed());
    const old = await reader.send(new GetObjectCommand({ Bucket: vb, Key: "doc.txt", VersionId: ids[0]! }));
    expect(await old.Body!.transformToString()).toBe("first");
  });
});
