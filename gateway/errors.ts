// S3 error values raised by the protocol layer. Messages are fixed strings or
// echo only client-supplied identifiers (bucket, key, argument names): never
// internal paths or upstream error text. sendError (gateway/ops/respond.ts)
// renders them as S3 XML.

export class S3Error extends Error {
  readonly code: string;
  readonly status: number;
  /** "/bucket" or "/bucket/key"; filled by the dispatcher when left empty. */
  resource?: string;
  /** Extra child elements S3 adds to some errors (ArgumentName, BucketName, Key, Condition...). */
  readonly extra: Record<string, string>;
  /** Response headers that belong to the error (e.g. Content-Range on a 416). */
  readonly headers: Record<string, string> = {};

  constructor(code: string, message: string, status = 400, extra: Record<string, string> = {}) {
    super(message);
    this.name = "S3Error";
    this.code = code;
    this.status = status;
    this.extra = extra;
  }
}

export const noSuchBucket = (bucket: string) =>
  new S3Error("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: bucket });
export const noSuchKey = (key: string) => new S3Error("NoSuchKey", "The specified key does not exist.", 404, { Key: key });
export const noSuchUpload = () =>
  new S3Error(
    "NoSuchUpload",
    "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    404,
  );
export const invalidArgument = (message: string, name?: string, value?: string) =>
  new S3Error("InvalidArgument", message, 400, {
    ...(name === undefined ? {} : { ArgumentName: name }),
    ...(value === undefined ? {} : { ArgumentValue: value }),
  });
export const invalidRequest = (message: string) => new S3Error("InvalidRequest", message, 400);
export const invalidBucketName = (bucket: string, reason: string) =>
  new S3Error("InvalidBucketName", `The specified bucket is not valid. ${reason}`, 400, { BucketName: bucket });
export const invalidUri = () => new S3Error("InvalidURI", "Couldn't parse the specified URI.", 400);
export const keyTooLong = () => new S3Error("KeyTooLongError", "Your key is too long", 400);
export const malformedXml = () =>
  new S3Error(
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema",
    400,
  );
export const entityTooLarge = (message = "Your proposed upload exceeds the maximum allowed size") =>
  new S3Error("EntityTooLarge", message, 400);
export const notImplemented = (message = "A header or query you provided implies functionality that is not implemented") =>
  new S3Error("NotImplemented", message, 501);
export const methodNotAllowed = () =>
  new S3Error("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
export function invalidRange(size: number): S3Error {
  const err = new S3Error("InvalidRange", "The requested range is not satisfiable", 416, { ActualObjectSize: String(size) });
  err.headers["content-range"] = `bytes */${size}`;
  return err;
}
export const preconditionFailed = (condition: string) =>
  new S3Error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412, {
    Condition: condition,
  });
export const badDigest = () =>
  new S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.", 400);
export const invalidDigest = () => new S3Error("InvalidDigest", "The Content-MD5 you specified is not valid.", 400);
export const metadataTooLarge = () =>
  new S3Error("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.", 400);
/** The client stopped sending its request body (the gateway's idle timeout); SDKs retry it. */
export const requestTimeout = () =>
  new S3Error(
    "RequestTimeout",
    "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.",
    400,
  );
export const internalError = () =>
  new S3Error("InternalError", "We encountered an internal error. Please try again.", 500);
