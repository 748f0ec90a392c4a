// The "presigned upload" helper: for a sub key and an object key (or a prefix), a PUT URL or POST
// form fields valid for a chosen time, signed with the key's own secret, so an application
// developer sees how browser uploads are done. What it produces is authorized at the gateway
// like any request of that key; it is checked here too so a helper never hands out a URL that
// can only fail.
import type { createPresignedPost as CreatePresignedPost } from "@aws-sdk/s3-presigned-post";
import { z } from "zod";
import type { OrgContext } from "../auth/context";
import type { Db } from "../db";
import { AppError, badRequest } from "../errors";
import { unsealKeySecret } from "./keyring";
import { getManagedKeyOrThrow } from "./manage-keys";
import { authorize } from "./scope";
import { keyStatus } from "./status";

export const presignUploadSchema = z.object({
  method: z.enum(["PUT", "POST"]).default("PUT"),
  bucket: z.string().trim().min(3).max(63),
  /** PUT: the object key. POST: the object key, or a prefix ending in "/" (the file's name is appended). */
  objectKey: z.string().min(1, "Enter an object key or a prefix.").max(1024),
  expiresInSeconds: z.number().int().min(60).max(7 * 24 * 3600).default(3600),
  /** POST only: largest accepted file (content-length-range). */
  maxBytes: z.number().int().min(1).max(5 * 1024 ** 3).optional(),
});

export type PresignedUpload = { method: "PUT" | "POST"; url: string; fields?: Record<string, string>; expiresAt: Date };

const refuse = (message: string) => new AppError(409, "cannot_upload", message);

export async function presignUpload(db: Db, ctx: OrgContext, keyId: string, input: z.input<typeof presignUploadSchema>): Promise<PresignedUpload> {
  const req = presignUploadSchema.parse(input);
  const key = await getManagedKeyOrThrow(db, ctx, keyId);
  if (key.kind !== "SUB") throw badRequest("Presigned uploads are made with sub keys.");
  const status = keyStatus(key);
  if (status !== "Active") throw refuse(`This key is ${status.toLowerCase()}.`);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + req.expiresInSeconds * 1000);
  if (key.expiresAt && expiresAt > key.expiresAt) throw badRequest("The upload would outlive the key: choose a shorter time.", { expiresInSeconds: ["Longer than the key lives."] });
  const [buckets, scoped, region] = await Promise.all([
    db.bucket.findMany({ where: { projectId: key.projectId, regionId: key.regionId }, select: { name: true } }),
    db.accessKeyBucket.findMany({ where: { keyId: key.id }, select: { bucket: { select: { name: true } } } }),
    db.region.findUniqueOrThrow({ where: { id: key.regionId }, select: { endpoint: true } }),
  ]);
  const isPrefix = req.method === "POST" && req.objectKey.endsWith("/");
  const decision = authorize(
    {
      kind: key.kind, permissions: key.permissions, allBuckets: key.allBuckets, buckets: scoped.map((b) => b.bucket.name),
      projectBuckets: buckets.map((b) => b.name), prefix: key.prefix, allowedCidrs: [], // source IPs are checked when it is used
      expiresAt: key.expiresAt, revokedAt: key.revokedAt,
    },
    { operation: req.method === "PUT" ? "PutObject" : "PostObject", bucket: req.bucket, objectKey: req.objectKey, sourceIp: "", now },
  );
  if (!decision.allow) throw refuse(`This key cannot upload there: ${decision.message}`);
  // Loaded on use: the S3 SDK is large and only this helper of the web app needs it.
  const [{ PutObjectCommand, S3Client }, { createPresignedPost }, { getSignedUrl }] = await Promise.all([
    import("@aws-sdk/client-s3"), import("@aws-sdk/s3-presigned-post"), import("@aws-sdk/s3-request-presigner"),
  ]);
  const client = new S3Client({
    endpoint: region.endpoint, region: key.regionId, forcePathStyle: true,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: unsealKeySecret(key) },
  });
  if (req.method === "PUT") {
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: req.bucket, Key: req.objectKey }), { expiresIn: req.expiresInSeconds });
    return { method: "PUT", url, expiresAt };
  }
  const conditions: NonNullable<Parameters<typeof CreatePresignedPost>[1]["Conditions"]> = [
    isPrefix ? ["starts-with", "$key", req.objectKey] : ["eq", "$key", req.objectKey],
    ["starts-with", "$Content-Type", ""],
  ];
  if (req.maxBytes) conditions.push(["content-length-range", 0, req.maxBytes]);
  const post = await createPresignedPost(client, {
    Bucket: req.bucket, Key: isPrefix ? `${req.objectKey}\${filename}` : req.objectKey, Conditions: conditions, Expires: req.expiresInSeconds,
  });
  return { method: "POST", url: post.url, fields: post.fields, expiresAt };
}
