// Put/Get/DeleteBucketCors through the gateway (master keys and admins' region keys: the scope
// check already ran). They go through lib/buckets/bucket-cors, like the console.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { OrgContext } from "../lib/auth/context";
import { getBucketCors, setBucketCors } from "../lib/buckets/bucket-cors";
import type { Db } from "../lib/db";
import type { CorsRules } from "./cors";
import { noSuchCorsConfiguration, parseCorsConfiguration, renderCorsConfiguration } from "./cors-xml";
import type { GatewayKey } from "./key-store";
import { setCommonHeaders } from "./ops";
import type { S3Route } from "./router";
import { readXmlBody } from "./xml-parse";

type Args = { req: IncomingMessage; res: ServerResponse; body: Readable; route: S3Route; requestId: string; key: GatewayKey; db: Db; ctx: OrgContext; cors?: CorsRules };

export async function handleBucketCors({ res, body, route, requestId, key, db, ctx, cors }: Args): Promise<void> {
  const name = route.bucket!;
  const { id } = await db.bucket.findUniqueOrThrow({ where: { regionId_name: { regionId: key.region, name } }, select: { id: true } });
  if (route.operation === "GetBucketCors") {
    body.resume();
    const rules = await getBucketCors(db, ctx, id);
    if (!rules) throw noSuchCorsConfiguration(name);
    const xml = Buffer.from(renderCorsConfiguration(rules));
    setCommonHeaders(res, requestId);
    res.writeHead(200, { "content-type": "application/xml", "content-length": xml.length }).end(xml);
    return;
  }
  const rules = route.operation === "PutBucketCors" ? parseCorsConfiguration(await readXmlBody(body)) : (body.resume(), null);
  await setBucketCors(db, ctx, id, rules);
  cors?.invalidate(name);
  setCommonHeaders(res, requestId);
  res.writeHead(route.operation === "PutBucketCors" ? 200 : 204, { "content-length": 0 }).end();
}
