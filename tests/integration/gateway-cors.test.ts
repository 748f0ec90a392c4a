// Bucket CORS through the real gateway: rules set with the AWS SDK (master key), preflights
// answered without authentication from those rules, and CORS headers on actual answers,
// errors included.
import {
  DeleteBucketCorsCommand, GetBucketCorsCommand, GetObjectCommand, PutBucketCorsCommand, PutObjectCommand, type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMasterKey, createSubKey } from "../../lib/keys/create-keys";
import { send } from "../bench/sign";
import { type Gateway, s3, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
let client: S3Client;
let sub: S3Client;
let bucket: string;
const APP = "https://app.example.com";
const code = (p: Promise<unknown>) => p.then(() => "OK", (e) => `${e?.$metadata?.httpStatusCode} ${e?.name}`);
const preflight = (path: string, origin: string, method: string, headers?: string) =>
  send(`${gw.url}${path}`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, ...(headers ? { "access-control-request-headers": headers } : {}) },
  });

beforeAll(async () => {
  gw = await startGateway();
  const seeded = await seedProject(gw, ["cors"]);
  [bucket] = seeded.buckets;
  client = s3(gw, await createMasterKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "m", regionId: "local" }));
  sub = s3(gw, await createSubKey(testDb(), seeded.admin, { projectId: seeded.project.id, name: "s", regionId: "local", permissions: ["read", "write", "list"] }));
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: "hello.txt", Body: "hi" }));
});
afterAll(async () => { await gw?.stop(); });

describe("Put/Get/DeleteBucketCors", () => {
  it("round-trips the rules with a master key; sub keys are refused", async () => {
    expect(await code(client.send(new GetBucketCorsCommand({ Bucket: bucket })))).toBe("404 NoSuchCORSConfiguration");
    expect((await preflight(`/${bucket}/hello.txt`, APP, "GET")).status).toBe(403); // not enabled yet
    await client.send(new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: {
        CORSRules: [
          { AllowedOrigins: [APP, "https://*.example.org"], AllowedMethods: ["GET", "PUT", "POST"], AllowedHeaders: ["content-type", "x-amz-*"], ExposeHeaders: ["ETag"], MaxAgeSeconds: 600 },
          { AllowedOrigins: ["*"], AllowedMethods: ["HEAD"] },
        ],
      },
    }));
    const got = await client.send(new GetBucketCorsCommand({ Bucket: bucket }));
    expect(got.CORSRules?.[0]).toMatchObject({ AllowedOrigins: [APP, "https://*.example.org"], AllowedMethods: ["GET", "PUT", "POST"], ExposeHeaders: ["ETag"], MaxAgeSeconds: 600 });
    expect(got.CORSRules?.[1]).toMatchObject({ AllowedOrigins: ["*"], AllowedMethods: ["HEAD"] });
    expect(await code(sub.send(new GetBucketCorsCommand({ Bucket: bucket })))).toBe("403 AccessDenied");
    expect(await code(sub.send(new DeleteBucketCorsCommand({ Bucket: bucket })))).toBe("403 AccessDenied");
    expect(await code(client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ["*"], AllowedMethods: ["PATCH"] }] } }))))
      .toBe("400 InvalidRequest");
  });

  it("answers preflights from the rules without authentication", async () => {
    const ok = await preflight(`/${bucket}/up/file.bin`, APP, "PUT", "Content-Type, X-Amz-Date");
    expect(ok.status).toBe(200);
    expect(ok.headers).toMatchObject({
      "access-control-allow-origin": APP, "access-control-allow-methods": "GET, PUT, POST",
      "access-control-allow-headers": "content-type, x-amz-date", "access-control-max-age": "600", "access-control-expose-headers": "ETag",
    });
    expect((await preflight(`/${bucket}/x`, "https://sub.example.org", "GET")).status).toBe(200);
    expect((await preflight(`/${bucket}/x`, "https://evil.example.net", "GET")).status).toBe(403);
    expect((await preflight(`/${bucket}/x`, APP, "DELETE")).status).toBe(403);
    expect((await preflight(`/${bucket}/x`, APP, "PUT", "x-custom")).status).toBe(403);
    expect((await preflight(`/${bucket}/x`, "https://any.example.net", "HEAD")).headers["access-control-allow-origin"]).toBe("*");
    const noOrigin = await send(`${gw.url}/${bucket}/x`, { method: "OPTIONS", headers: { "access-control-request-method": "GET" } });
    expect(noOrigin.status).toBe(400);
    expect((await preflight(`/missing-bucket-zz/x`, APP, "GET")).status).toBe(403);
  });

  it("puts CORS headers on actual answers, errors included", async () => {
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: "hello.txt" }), { expiresIn: 60 });
    const res = await send(url, { headers: { origin: APP } });
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ "access-control-allow-origin": APP, "access-control-expose-headers": "ETag" });
    const missing = await send(url.replace("hello.txt", "nope.txt"), { headers: { origin: APP } });
    expect(missing.status).toBe(403); // the signature covers the key
    expect(missing.headers["access-control-allow-origin"]).toBe(APP);
    const other = await send(url, { headers: { origin: "https://evil.example.net" } });
    expect(other.status).toBe(200);
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("DeleteBucketCors turns preflights off again", async () => {
    await client.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
    expect((await preflight(`/${bucket}/x`, APP, "GET")).status).toBe(403);
    expect(await code(client.send(new GetBucketCorsCommand({ Bucket: bucket })))).toBe("404 NoSuchCORSConfiguration");
  });
});
