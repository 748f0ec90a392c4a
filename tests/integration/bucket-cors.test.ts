// Bucket CORS rules as the console edits them (aws s3api JSON) through lib/buckets: validation,
// the event, admins only, and the gateway answering preflights from what the console saved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBucketCors, setBucketCors } from "../../lib/buckets/bucket-cors";
import { corsRulesFromJson, corsRulesToJson } from "../../lib/buckets/cors-json";
import { send } from "../bench/sign";
import { type Gateway, seedProject, startGateway } from "./gateway-harness";
import { testDb } from "./helpers";

let gw: Gateway;
let seeded: Awaited<ReturnType<typeof seedProject>>;
let bucketId: string;
beforeAll(async () => {
  gw = await startGateway();
  seeded = await seedProject(gw, ["console-cors"]);
  bucketId = (await testDb().bucket.findFirstOrThrow({ where: { name: seeded.buckets[0] } })).id;
});
afterAll(async () => { await gw?.stop(); });

const JSON_RULES = '{"CORSRules": [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["put", "GET"], "AllowedHeaders": ["*"], "MaxAgeSeconds": 60}]}';

describe("console CORS rules", () => {
  it("parses aws s3api JSON, refuses what S3 refuses, and round-trips", () => {
    const rules = corsRulesFromJson(JSON_RULES);
    expect(rules).toEqual([{ allowedOrigins: ["https://app.example.com"], allowedMethods: ["PUT", "GET"], allowedHeaders: ["*"], exposeHeaders: [], maxAgeSeconds: 60 }]);
    expect(corsRulesFromJson(corsRulesToJson(rules))).toEqual(rules);
    expect(() => corsRulesFromJson("{")).toThrow(/not valid JSON/);
    expect(() => corsRulesFromJson('{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]}')).toThrow(/Check the CORS rules/);
    expect(() => corsRulesFromJson('{"CORSRules": [{"AllowedOrigins": ["https://*.*.com"], "AllowedMethods": ["GET"]}]}')).toThrow(/Check the CORS rules/);
  });

  it("saves them with an event, for admins only; the gateway answers preflights from them", async () => {
    await setBucketCors(testDb(), seeded.admin, bucketId, corsRulesFromJson(JSON_RULES));
    expect(await getBucketCors(testDb(), seeded.admin, bucketId)).toHaveLength(1);
    const event = await testDb().event.findFirstOrThrow({ where: { projectId: seeded.project.id, type: "bucket.cors_updated" }, select: { data: true } });
    expect(event.data).toMatchObject({ name: seeded.buckets[0], rules: 1 });
    await expect(setBucketCors(testDb(), seeded.members.MEMBER_PLUS, bucketId, null)).rejects.toMatchObject({ status: 403 });
    const preflight = await send(`${gw.url}/${seeded.buckets[0]}/x`, {
      method: "OPTIONS", headers: { origin: "https://app.example.com", "access-control-request-method": "PUT" },
    });
    expect([preflight.status, preflight.headers["access-control-allow-origin"]]).toEqual([200, "https://app.example.com"]);
    await setBucketCors(testDb(), seeded.admin, bucketId, null);
    expect(await getBucketCors(testDb(), seeded.admin, bucketId)).toBeNull();
  });
});
