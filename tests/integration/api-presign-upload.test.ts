// The presigned upload helper of the management API: a PUT URL and a POST form signed with a sub
// key's secret, used against the real gateway; a key that cannot write gets no URL.
import { randomBytes } from "node:crypto";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as presignRoute from "../../app/api/v1/keys/[keyId]/presign-upload/route";
import { createBucket } from "../../lib/buckets/buckets";
import { createMasterKey, createSubKey, type IssuedKey } from "../../lib/keys/create-keys";
import { call } from "./api-fixtures";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
let master: IssuedKey;
let writer: IssuedKey;
let reader: IssuedKey;
let bucket: string;

beforeAll(async () => {
  gw = await startGateway();
  // A region whose endpoint is this test's gateway: presigned URLs are signed for the region's endpoint.
  const regionId = `pr-${randomBytes(3).toString("hex")}`;
  await testDb().region.create({ data: { id: regionId, endpoint: gw.url } });
  const { admin, project } = await seedProject(gw, []);
  bucket = `presign-${randomBytes(3).toString("hex")}`;
  await createBucket(testDb(), admin, { projectId: project.id, regionId, name: bucket }, () => gw.storage);
  master = await createMasterKey(testDb(), admin, { projectId: project.id, name: "m", regionId });
  writer = await createSubKey(testDb(), admin, { projectId: project.id, name: "w", regionId, permissions: ["read", "write"], prefix: "web/" });
  reader = await createSubKey(testDb(), admin, { projectId: project.id, name: "r", regionId, permissions: ["read"] });
});
afterAll(async () => { await gw?.stop(); });

const presign = (key: IssuedKey, body: Record<string, unknown>) =>
  call(presignRoute.POST, "POST", `/api/v1/keys/${key.id}/presign-upload`, { creds: master, params: { keyId: key.id }, body });
const read = async (key: string) =>
  (await s3(gw, master, master.regionId).send(new GetObjectCommand({ Bucket: bucket, Key: key })).then((r) => r.Body!.transformToString()));

describe("POST /api/v1/keys/{keyId}/presign-upload", () => {
  it("returns a PUT URL that uploads through the gateway", async () => {
    const r = await presign(writer, { method: "PUT", bucket, objectKey: "web/put.txt", expiresInSeconds: 300 });
    expect(r.status, r.text).toBe(200);
    expect(r.body.url).toContain("X-Amz-Signature=");
    const put = await fetch(r.body.url, { method: "PUT", body: "via presigned put" });
    expect(put.status).toBe(200);
    expect(await read("web/put.txt")).toBe("via presigned put");
  });

  it("returns POST form fields for a prefix; the form appends the file's name", async () => {
    const r = await presign(writer, { method: "POST", bucket, objectKey: "web/", maxBytes: 1000 });
    expect(r.status, r.text).toBe(200);
    const form = new FormData();
    for (const [k, v] of Object.entries(r.body.fields as Record<string, string>)) form.append(k, v);
    form.append("file", new Blob(["via form"]), "note.txt");
    const res = await fetch(r.body.url, { method: "POST", body: form });
    expect(res.status, await res.clone().text()).toBe(204);
    expect(await read("web/note.txt")).toBe("via form");
  });

  it("refuses a key that could not make the upload, and times beyond the key's life", async () => {
    expect((await presign(reader, { method: "PUT", bucket, objectKey: "x" })).body.error.code).toBe("cannot_upload");
    expect((await presign(writer, { method: "PUT", bucket, objectKey: "elsewhere/x" })).body.error.code).toBe("cannot_upload");
    expect((await presign(writer, { method: "PUT", bucket, objectKey: "web/x", expiresInSeconds: 7 * 24 * 3600 })).status).toBe(200); // 30-day key
    expect((await presign(master, { method: "PUT", bucket, objectKey: "x" })).status).toBe(404); // sub keys only
  });
});
