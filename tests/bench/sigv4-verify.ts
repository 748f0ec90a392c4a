// SigV4 verification cost alone: verifyRequest on a header-signed and on a presigned GET with an
// in-memory key lookup, as the gateway runs it after its key cache is warm. Run alone with
// `npx tsx tests/bench/sigv4-verify.ts`; tests/bench/gateway.ts prints it in its table.
import { createHash } from "node:crypto";
import { verifyRequest } from "../../gateway/sigv4";
import { createSigner } from "./sign";

const OPS = Number(process.env.KEYGATE_BENCH_VERIFY_OPS ?? 20_000);
const EMPTY_SHA = createHash("sha256").update("").digest("hex");

type Req = { method: string; url: string; headers: Record<string, string[]> };

/**
 * CPU microseconds (user + system of this process) per verification, median of 5 rounds: on a
 * shared machine wall time mostly measures waiting for a core, CPU time what the work costs.
 */
export async function verifyCost(): Promise<{ header: number; presign: number; ops: number }> {
  const creds = { accessKeyId: "KGBENCHVERIFY0000001", secret: "kgs_bench_secret_0123456789abcdef", region: "local" };
  const records = new Map([[creds.accessKeyId, { secret: creds.secret, region: creds.region }]]);
  const lookup = async (id: string) => records.get(id) ?? null;
  const signer = await createSigner(creds);
  const signed = await signer({ method: "GET", url: "http://127.0.0.1:9000/bucket/some/object.txt?versionId=null", payloadHash: EMPTY_SHA, headers: { "user-agent": "bench" } });
  const u = new URL(signed.url);
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), [v]]));
  const now = new Date();
  const time = async (req: Req) => {
    for (let i = 0; i < 2000; i++) await verifyRequest(req, { now, lookup }); // warm-up (JIT)
    const rounds: number[] = [];
    for (let round = 0; round < 5; round++) {
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < OPS / 5; i++) {
        const r = await verifyRequest(req, { now, lookup });
        if (!r.ok) throw new Error(`verify failed: ${r.code}`);
      }
      const used = process.cpuUsage(cpu0);
      rounds.push((used.user + used.system) / (OPS / 5));
    }
    return rounds.sort((a, b) => a - b)[2];
  };
  const header = await time({ method: "GET", url: u.pathname + u.search, headers });
  const { S3Client, GetObjectCommand } = await import("@aws-sdk/client-s3");
  const { getSignedUrl } = await import("@aws-sdk/s3-request-presigner");
  const sdk = new S3Client({ endpoint: "http://127.0.0.1:9000", region: "local", forcePathStyle: true, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secret } });
  const p = new URL(await getSignedUrl(sdk, new GetObjectCommand({ Bucket: "bucket", Key: "some/object.txt" }), { expiresIn: 3600 }));
  const presign = await time({ method: "GET", url: p.pathname + p.search, headers: { host: [p.host] } });
  return { header, presign, ops: OPS };
}

if (process.argv[1]?.endsWith("sigv4-verify.ts")) {
  const r = await verifyCost();
  console.log(`SigV4 verify: header auth ${r.header.toFixed(1)} µs/op, presigned URL ${r.presign.toFixed(1)} µs/op (CPU time, median of 5 × ${r.ops / 5})`);
}
