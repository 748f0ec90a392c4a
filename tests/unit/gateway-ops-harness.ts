// A bare node:http server running routeRequest + handleOperation over the real fs backend
// (no authentication: the SDK signs, nobody checks), for the SDK-driven operation tests.
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect } from "vitest";
import { S3Error } from "../../gateway/errors";
import type { ByteStats } from "../../gateway/ops/context";
import { handleOperation, sendError } from "../../gateway/ops/index";
import { routeRequest } from "../../gateway/router";
import { createFsBackend } from "../../lib/storage/index";

export type OpsServer = { s3: S3Client; endpoint: string; bytesByOp: Record<string, ByteStats> };

/** Starts the server before the file's tests and checks after them that no handler failed unexpectedly. */
export function useOpsServer(): OpsServer {
  const ctx = { bytesByOp: {} } as OpsServer;
  let dir = "";
  let server: http.Server | undefined;
  const buckets = new Map<string, Date>();
  const serverErrors: unknown[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "keygate-gw-"));
    const storage = createFsBackend(dir);
    server = http.createServer(async (req, res) => {
      const requestId = randomUUID();
      const route = routeRequest({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers }, { domains: ["localhost"] });
      if (route instanceof S3Error) return sendError(res, route, requestId, req.method ?? "GET");
      const listBuckets = async () => [...buckets].map(([name, createdAt]) => ({ name, createdAt }));
      await handleOperation({ req, res, body: req, storage, route, requestId, region: "us-east-1", listBuckets,
        onError: (e) => serverErrors.push(e),
        stats: (ctx.bytesByOp[route.operation] = { inBytes: 0, outBytes: 0 }),
      });
      if (route.operation === "CreateBucket" && res.statusCode === 200) buckets.set(route.bucket!, new Date());
      if (route.operation === "DeleteBucket" && res.statusCode === 204) buckets.delete(route.bucket!);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    ctx.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ctx.s3 = new S3Client({
      endpoint: ctx.endpoint, region: "us-east-1", forcePathStyle: true,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
      requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
    });
  });
  afterAll(async () => {
    ctx.s3?.destroy();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (dir) await rm(dir, { recursive: true, force: true });
    expect(serverErrors).toEqual([]);
  });
  return ctx;
}

/** Resolves to the S3 error an SDK call failed with (name, status), or "ok". */
export async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    const err = e as { name: string; $metadata?: { httpStatusCode?: number } };
    return `${err.name} ${err.$metadata?.httpStatusCode}`;
  }
}

export const md5 = (data: Buffer | string) => createHash("md5").update(data).digest("hex");
export const text = async (p: Promise<{ Body?: { transformToString(): Promise<string> } }>) => (await p).Body!.transformToString();
export const putWith = (s3: S3Client) => (Bucket: string, Key: string, Body: string | Buffer, extra: Record<string, unknown> = {}) =>
  s3.send(new PutObjectCommand({ Bucket, Key, Body, ...extra }));
