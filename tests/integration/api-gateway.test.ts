// The management API and the data plane together: a sub key created through /api/v1 works with
// a real S3 client against a real gateway, within its limits, until it is revoked through /api/v1.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as eventsRoute from "../../app/api/v1/keys/[keyId]/events/route";
import * as revokeRoute from "../../app/api/v1/keys/[keyId]/revoke/route";
import * as bucketsRoute from "../../app/api/v1/buckets/route";
import * as keysRoute from "../../app/api/v1/keys/route";
import { createMasterKey } from "../../lib/keys/create-keys";
import { call } from "./api-fixtures";
import { type Gateway, keyChangeHeard, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
beforeAll(async () => { gw = await startGateway(); }); // also installs the sealing keyring
afterAll(async () => { await gw?.stop(); });

const code = (p: Promise<unknown>) => p.then(() => "OK", (e) => e?.name ?? e?.Code ?? String(e));

describe("a sub key issued through the API, used with @aws-sdk/client-s3", () => {
  it("works within its scope and is refused on the next request after an API revoke", async () => {
    const { admin, project, buckets } = await seedProject(gw, ["uploads", "private"]);
    const master = await createMasterKey(testDb(), admin, { projectId: project.id, name: "ci", regionId: "local" });
    const listed = await call(bucketsRoute.GET, "GET", "/api/v1/buckets", { creds: master });
    const uploadsId = listed.body.buckets.find((b: { name: string }) => b.name === buckets[0]).id;

    const created = await call(keysRoute.POST, "POST", "/api/v1/keys", {
      creds: master, body: { name: "uploader", permissions: ["read", "write", "list"], bucketScope: "selected", bucketIds: [uploadsId], expiry: "7d" },
    });
    expect(created.status).toBe(201);
    const { key, secret } = created.body;
    const client = s3(gw, { accessKeyId: key.accessKeyId, secret });

    await client.send(new PutObjectCommand({ Bucket: buckets[0], Key: "report.csv", Body: "a,b\n1,2\n" }));
    const got = await client.send(new GetObjectCommand({ Bucket: buckets[0], Key: "report.csv" }));
    expect(await got.Body!.transformToString()).toBe("a,b\n1,2\n");
    expect(await code(client.send(new ListObjectsV2Command({ Bucket: buckets[1] })))).toBe("AccessDenied");

    await gw.events.flush();
    const events = await call(eventsRoute.GET, "GET", `/api/v1/keys/${key.id}/events`, { creds: master, params: { keyId: key.id } });
    const requests = events.body.events.filter((e: { type: string }) => e.type === "key.request");
    expect(requests.map((e: { operation: string; status: number }) => [e.operation, e.status])).toEqual([
      ["ListObjectsV2", 403], ["GetObject", 200], ["PutObject", 200],
    ]);

    const heard = keyChangeHeard(gw, key.accessKeyId);
    const revoked = await call(revokeRoute.POST, "POST", `/api/v1/keys/${key.id}/revoke`, { creds: master, params: { keyId: key.id } });
    expect(revoked.body.status).toBe("Revoked");
    await heard;
    expect(await code(client.send(new GetObjectCommand({ Bucket: buckets[0], Key: "report.csv" })))).toBe("InvalidAccessKeyId");
  });
});
