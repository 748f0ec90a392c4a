// POST Object: an HTML form upload to a bucket (multipart/form-data: fields, then the file).
// The form's signed policy authenticates it; the signing key's scope authorizes it exactly like a
// PutObject of the same key (bucket, prefix, source IP, expiry, revocation). Streams the file to
// storage; content-length-range is enforced while streaming, so an oversized upload never lands.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Transform, finished } from "node:stream";
import busboy from "busboy";
import type { Db } from "../../lib/db";
import { StorageError, type StorageBackend } from "../../lib/storage/types";
import { authorize, keyHasPermission } from "../../lib/keys/scope";
import { sourceIp } from "../authorize-request";
import { S3Error } from "../errors";
import { extractMetadata } from "../http";
import type { GatewayKey } from "../key-store";
import { missingBucket } from "../missing-bucket";
import { MAX_UPLOAD_BYTES } from "../ops/body";
import { readLockRequest } from "../ops/lock-headers";
import { setCommonHeaders } from "../ops/respond";
import type { S3Route } from "../router";
import { checkPolicy, parsePolicy, policyFailed, sizeError } from "./policy";
import { respondToPost } from "./respond";
import { type FormAuthDeps, verifyPostForm } from "./verify";

export type PostObjectArgs = {
  req: IncomingMessage; res: ServerResponse; route: S3Route; requestId: string; now: Date; db: Db;
  auth: FormAuthDeps; storageFor: (regionId: string) => StorageBackend;
  /** Sees the signing key as soon as it is known (refusals included), then which secret signed. */
  onKey: (key: GatewayKey, signedWith?: "current" | "previous") => void;
  onBytes: (inBytes: number) => void;
};

const malformed = () => new S3Error("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.", 400);

/**
 * Resolves once the answer is sent; rejects with what the caller answers instead: an S3Error, or
 * another error (key store down, storage failure) that the caller maps like any request's.
 */
export function handlePostObject(a: PostObjectArgs): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      if (!err) return resolve();
      if (!a.res.headersSent) a.res.setHeader("connection", "close"); // the rest of the body is not read
      reject(err);
    };
    // The form itself is unreadable: the client's fault, whatever the parser says.
    const unreadable = (err: Error) => {
      if (done) return; // the parser failing after the answer (see the request's "error" below)
      console.error(`[gateway ${a.requestId}] POST object`, err.message);
      finish(malformed());
    };
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: a.req.headers, limits: { fields: 100, fieldSize: 64 * 1024, files: 1, parts: 101, fileSize: MAX_UPLOAD_BYTES } });
    } catch {
      return finish(malformed());
    }
    const fields = new Map<string, string>();
    let fileSeen = false;
    bb.on("field", (name, value) => {
      if (!fileSeen) fields.set(name.toLowerCase(), value); // S3 ignores fields after the file
    });
    bb.on("file", (name, stream, info) => {
      stream.on("error", () => {}); // the parser's failure, observed by storeFile; unread files have no reader
      if (fileSeen || name.toLowerCase() !== "file") return void stream.resume();
      fileSeen = true;
      storeFile(a, fields, stream, info.filename ?? "").then(() => finish(), (err) => {
        stream.resume();
        finish(err);
      });
    });
    bb.on("close", () => {
      if (!fileSeen) finish(new S3Error("InvalidArgument", "POST requires exactly one file upload per request.", 400, { ArgumentName: "file" }));
    });
    bb.on("error", unreadable);
    // The connection failed mid-form (client gone, or silent and answered RequestTimeout): the
    // parser stops, failing the file being stored, else storage would wait for it forever.
    a.req.on("error", (err) => {
      bb.destroy(err);
      if (err instanceof S3Error) finish(err);
      else unreadable(err);
    });
    a.req.pipe(bb);
  });
}

async function storeFile(a: PostObjectArgs, fields: Map<string, string>, file: NodeJS.ReadableStream, filename: string): Promise<void> {
  const bucket = a.route.bucket!;
  fields.set("bucket", bucket);
  const { key, signedWith } = await verifyPostForm(fields, a.auth, a.now, a.onKey);
  a.onKey(key, signedWith);
  const rawKey = fields.get("key");
  if (!rawKey) throw new S3Error("InvalidArgument", "Bucket POST must contain a field named 'key'.", 400, { ArgumentName: "key" });
  const objectKey = rawKey.replaceAll("${filename}", filename);
  a.route.key = objectKey; // the request's event names the object written
  const policy = parsePolicy(fields.get("policy")!);
  checkPolicy(policy, fields, a.now);
  // Like a presigned URL, a policy may not outlive the key that signed it.
  if (key.scope.expiresAt && policy.expiresAt > key.scope.expiresAt) throw policyFailed("The policy expires after the key that signed it.");
  const decision = authorize(key.scope, { operation: "PostObject", bucket, objectKey, sourceIp: sourceIp(a.req), now: a.now });
  if (!decision.allow) throw (await missingBucket(a.db, key, a.route, decision)) ?? new S3Error(decision.code, decision.message, 403);
  const lock = readLockRequest((name) => fields.get(name), (p) => keyHasPermission(key.scope, p)); // as the PUT headers
  let size = 0;
  let failure: S3Error | null = null;
  const counted = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      a.onBytes(size);
      cb((failure = sizeError(policy, size, false)), chunk);
    },
    flush(cb) {
      cb((failure = sizeError(policy, size, true)));
    },
  });
  counted.on("error", () => {}); // observed through storage's pipeline and `failure`
  // A file the parser failed (possibly while the form was verified above) fails the stored body.
  finished(file, (err) => err && counted.destroy(err));
  file.pipe(counted);
  const metadata = extractMetadata(Object.fromEntries(fields));
  if (lock) metadata.lock = lock;
  const stored = await a.storageFor(key.region).putObject(bucket, objectKey, counted, metadata).catch((err) => {
    // Storage's refusals (e.g. lock fields for a bucket without Object Lock) keep their S3 code.
    throw failure ?? (err instanceof StorageError && err.status < 500 ? new S3Error(err.code, err.message, err.status) : err);
  });
  setCommonHeaders(a.res, a.requestId);
  respondToPost(a.req, a.res, fields, { bucket, key: objectKey, etag: stored.etag, versionId: stored.versionId });
}
