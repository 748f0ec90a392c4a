// The payload stream handed to storage for uploads: counts bytes, enforces the
// S3 size limit and verifies Content-MD5 while streaming, so a bad digest fails
// the upload before storage commits it (backends write atomically and discard
// the object when their source stream errors).
import { createHash } from "node:crypto";
import { Transform, type TransformCallback, type Readable } from "node:stream";
import { S3Error, badDigest, entityTooLarge, invalidDigest } from "../errors";
import { headerValue } from "../router-headers";
import type { OpRun } from "./context";

/** 5 GiB: the S3 maximum for a single PUT and for one part. */
export const MAX_UPLOAD_BYTES = 5 * 1024 ** 3;

export type Upload = {
  stream: Readable;
  /** Runs the storage call, preferring our own S3 error (BadDigest, EntityTooLarge) over the backend's. */
  run<T>(work: Promise<T>): Promise<T>;
};

export function prepareUpload(run: OpRun, limit = MAX_UPLOAD_BYTES): Upload {
  const headers = run.req.headers;
  const declared = headerValue(headers, "x-amz-decoded-content-length") ?? headerValue(headers, "content-length");
  if (declared !== undefined && Number(declared) > limit) throw entityTooLarge();
  const md5 = run.bodyVerified ? undefined : headerValue(headers, "content-md5");
  if (md5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(md5.trim())) throw invalidDigest();
  let failure: S3Error | undefined;
  const hash = md5 === undefined ? null : createHash("md5");
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      run.stats.inBytes += chunk.length;
      if (run.stats.inBytes > limit) return done((failure = entityTooLarge()));
      hash?.update(chunk);
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      if (hash && hash.digest("base64") !== md5?.trim()) return done((failure = badDigest()));
      done();
    },
  });
  run.body.on("error", (err) => stream.destroy(err));
  // Storage consumes (and observes errors of) the stream through its own pipeline; if it
  // fails before reading, nobody would, and an unobserved 'error' would crash the process.
  stream.on("error", () => {});
  run.body.pipe(stream);
  return {
    stream,
    async run<T>(work: Promise<T>): Promise<T> {
      try {
        return await work;
      } catch (err) {
        throw failure ?? err;
      }
    },
  };
}
