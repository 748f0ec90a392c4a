/** Every S3 operation the gateway serves. Authorization and events use these names. */
export const S3_OPERATIONS = [
  "ListBuckets",
  "CreateBucket",
  "DeleteBucket",
  "HeadBucket",
  "GetBucketLocation",
  "GetBucketVersioning",
  "PutBucketVersioning",
  "ListObjects",
  "ListObjectsV2",
  "ListObjectVersions",
  "PutObject",
  "GetObject",
  "HeadObject",
  "DeleteObject",
  "DeleteObjects",
  "CopyObject",
  "CreateMultipartUpload",
  "UploadPart",
  "UploadPartCopy",
  "CompleteMultipartUpload",
  "AbortMultipartUpload",
  "ListParts",
  "ListMultipartUploads",
  "PutBucketCors",
  "GetBucketCors",
  "DeleteBucketCors",
  /** Browser form upload (POST with a signed policy); authorized like PutObject. */
  "PostObject",
] as const;

export type S3Operation = (typeof S3_OPERATIONS)[number];
