// S3 general-purpose bucket naming rules, shared by the gateway (CreateBucket,
// request routing) and the console. We apply the strict, DNS-compatible rules
// (no legacy us-east-1 names) so every bucket also works virtual-hosted.

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Returns null when `name` is a valid bucket name, else a user-facing reason. */
export function validateBucketName(name: string): string | null {
  if (name.length < 3 || name.length > 63) return "Bucket names must be between 3 and 63 characters long.";
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return "Bucket names can consist only of lowercase letters, numbers, periods (.) and hyphens (-).";
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return "Bucket names must begin and end with a letter or number.";
  }
  if (name.includes("..")) return "Bucket names must not contain two adjacent periods.";
  // Each dot-separated label must be a DNS label, for virtual-hosted-style access.
  if (name.includes(".-") || name.includes("-.")) {
    return "Bucket names must not contain a hyphen next to a period.";
  }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "Bucket names must not be formatted as an IP address.";
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `Bucket names must not start with the reserved prefix "${prefix}".`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `Bucket names must not end with the reserved suffix "${suffix}".`;
  return null;
}
