import { ROLE_LABELS } from "../auth/permissions";
import type { Role } from "../generated/prisma/enums";
import type { EventType } from "./types";

export type EventRow = {
  type: string; actorName: string | null; actorEmail: string | null; ip: string | null; operation: string | null; bucket: string | null;
  objectKey: string | null; status: number | null; errorCode: string | null; bytesIn: bigint | null; bytesOut: bigint | null; data: unknown;
  /** S3 requests during a rotation overlap window: "previous" when the old secret signed. */
  signedWith?: string | null;
};

type Describe = (e: EventRow, subject: string) => string;

const field = (e: EventRow, name: string) => (e.data && typeof e.data === "object" ? (e.data as Record<string, unknown>)[name] : undefined);
// Changes made by Keygate itself (a leaked-key report) carry no actor, only `data.by`.
const who = (e: EventRow) => e.actorName || e.actorEmail || (typeof field(e, "by") === "string" ? (field(e, "by") as string) : "Someone");
// Events store the role enum; people read the labels the console shows.
const role = (e: EventRow, name: string) => { const v = field(e, name); return ROLE_LABELS[v as Role] ?? v; };

/** "::ffff:127.0.0.1" (IPv4 seen through an IPv6 socket) reads as the IPv4 address it is. */
export const plainIp = (ip: string | null | undefined) => (ip ? ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1") : ip);

export function formatBytes(n: bigint | number | null): string {
  const v = Number(n ?? 0);
  if (v < 1000) return `${v} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let x = v / 1000, i = 0;
  while (x >= 1000 && i < units.length - 1) { x /= 1000; i++; }
  return `${x.toFixed(1)} ${units[i]}`;
}

/** One registry: every event type's label and the sentence an event row reads as. */
export const EVENT_REGISTRY: Record<EventType, { label: string; describe: Describe }> = {
  "org.created": { label: "Organization created", describe: (e) => `${who(e)} created the organization` },
  "org.key_policy_changed": {
    label: "Key policy changed",
    describe: (e) => `${who(e)} changed the key policy: ${Object.keys((field(e, "changes") as object) ?? {}).sort().join(", ") || "nothing"}`,
  },
  "org.deleted": { label: "Organization deleted", describe: (e) => `${who(e)} deleted the organization ${field(e, "name")}` },
  "member.added": { label: "Member added", describe: (e) => `${who(e)} added ${field(e, "email")} as ${role(e, "role")}` },
  "api_token.created": { label: "API token created", describe: (e) => `${who(e)} created the API token ${field(e, "name")}` },
  "api_token.revoked": { label: "API token revoked", describe: (e) => `${who(e)} revoked the API token ${field(e, "name")}` },
  "api_token.request": {
    label: "API token request",
    describe: (e) => `API token ${field(e, "tokenName")} called ${e.operation ?? "the API"} → ${e.status}${e.errorCode ? ` ${e.errorCode}` : ""}${e.ip ? `, from ${plainIp(e.ip)}` : ""}`,
  },
  "member.invited": { label: "Member invited", describe: (e) => `${who(e)} invited ${field(e, "email")} as ${role(e, "role")}` },
  "member.joined": { label: "Member joined", describe: (e) => `${who(e)} joined as ${role(e, "role")}` },
  "member.role_changed": { label: "Role changed", describe: (e) => `${who(e)} changed ${field(e, "email")} from ${role(e, "from")} to ${role(e, "to")}` },
  "member.removed": { label: "Member removed", describe: (e) => `${who(e)} removed ${field(e, "email")}` },
  "project.created": { label: "Project created", describe: (e) => `${who(e)} created project ${field(e, "name")}` },
  "project.renamed": { label: "Project renamed", describe: (e) => `${who(e)} renamed project ${field(e, "from")} to ${field(e, "to")}` },
  "project.deleted": { label: "Project deleted", describe: (e) => `${who(e)} deleted project ${field(e, "name")}` },
  "bucket.created": { label: "Bucket created", describe: (e) => `${who(e)} created bucket ${field(e, "name")} in ${field(e, "regionId")}` },
  "bucket.deleted": { label: "Bucket deleted", describe: (e) => `${who(e)} deleted bucket ${field(e, "name")}` },
  "bucket.cors_updated": {
    label: "Bucket CORS changed",
    describe: (e) => `${who(e)} ${field(e, "rules") ? `set ${field(e, "rules")} CORS rule(s) on` : "removed the CORS rules of"} bucket ${field(e, "name")}`,
  },
  "bucket.versioning_changed": {
    label: "Bucket versioning changed",
    describe: (e) => `${who(e)} ${field(e, "state") === "Enabled" ? "enabled" : "suspended"} versioning of bucket ${field(e, "name")}`,
  },
  "bucket.object_lock_changed": {
    label: "Bucket Object Lock changed",
    describe: (e) => `${who(e)} set the default retention of bucket ${field(e, "name")} to ${field(e, "defaultRetention") ?? "none"}`,
  },
  "key.created": { label: "Key created", describe: (e, s) => `${who(e)} created ${s}` },
  "key.imported": { label: "Key imported", describe: (e, s) => `${who(e)} imported ${s} (an existing ${field(e, "kind") === "MASTER" ? "master" : "sub"} key pair)` },
  "key.leaked": {
    label: "Key leaked",
    describe: (e, s) => `GitHub secret scanning reported the secret of ${s} public${field(e, "url") ? ` at ${field(e, "url")}` : ""}` +
      (field(e, "action") === "none" ? "" : `; the key was ${field(e, "action")}`),
  },
  "key.updated": { label: "Key updated", describe: (e, s) => `${who(e)} changed ${Object.keys((field(e, "changes") as object) ?? {}).sort().join(", ") || "nothing"} of ${s}` },
  "key.rotated": {
    label: "Key rotated",
    describe: (e, s) => `${who(e)} rotated the secret of ${s} (now ••••${field(e, "last4")})` +
      (field(e, "previousValidUntil") ? `; ••••${field(e, "previousLast4")} works until ${field(e, "previousValidUntil")}` : ""),
  },
  "key.overlap_ended": {
    label: "Overlap ended",
    describe: (e, s) => `${e.actorName || e.actorEmail ? `${who(e)} ended` : "End of"} the rotation overlap of ${s}: the previous secret ••••${field(e, "last4")} no longer works`,
  },
  "key.revoked": { label: "Key revoked", describe: (e, s) => `${who(e)} revoked ${s}${field(e, "reason") ? ` (${field(e, "reason")})` : ""}` },
  "key.disabled": { label: "Key disabled", describe: (e, s) => `${who(e)} disabled ${s}${field(e, "reason") ? ` (${field(e, "reason")})` : ""}` },
  "key.enabled": { label: "Key enabled", describe: (e, s) => `${who(e)} enabled ${s} again` },
  "key.expired": { label: "Key expired", describe: (_e, s) => `${s} expired` },
  "key.rotation_reminder_sent": {
    label: "Rotation reminder",
    describe: (e, s) => `Rotation reminder for ${s} sent to ${field(e, "recipientEmail")} (rotation period ${field(e, "periodDays")} days)`,
  },
  "key.shared": { label: "Key shared", describe: (e, s) => `${who(e)} shared ${s} with ${field(e, "recipientEmail")}` },
  "key.share_retrieved": { label: "Share retrieved", describe: (e, s) => `${field(e, "recipientEmail") ?? "The recipient"} retrieved ${s}${e.ip ? ` from ${plainIp(e.ip)}` : ""}` },
  "key.share_cancelled": {
    label: "Share cancelled",
    describe: (e, s) => `${who(e)} cancelled a share of ${s}${field(e, "reason") ? ` (${field(e, "reason")})` : ""}`,
  },
  "member.invitation_withdrawn": {
    label: "Invitation withdrawn",
    describe: (e) => `The invitation of ${field(e, "email")} as ${role(e, "role")} was withdrawn (${field(e, "reason")})`,
  },
  "bucket.adopted": { label: "Bucket adopted", describe: (e) => `${who(e)} adopted the existing upstream bucket ${field(e, "name")} in ${field(e, "regionId")}` },
  "api.request": {
    label: "API request",
    describe: (e, s) => `${s} called ${e.operation ?? "the API"} → ${e.status}${e.errorCode ? ` ${e.errorCode}` : ""}${e.ip ? `, from ${plainIp(e.ip)}` : ""}`,
  },
  "key.request": {
    label: "S3 request",
    describe: (e, s) => {
      const target = [e.bucket, e.objectKey].filter(Boolean).join("/");
      const bytes = Number(e.bytesOut ?? 0) + Number(e.bytesIn ?? 0);
      return `${s} ${e.operation}${target ? ` ${target}` : ""} → ${e.status}${e.errorCode ? ` ${e.errorCode}` : ""}${bytes ? `, ${formatBytes(bytes)}` : ""}${e.ip ? `, from ${plainIp(e.ip)}` : ""}${e.signedWith === "previous" ? " (signed with the previous secret)" : ""}`;
    },
  },
};

export function describeEvent(e: EventRow, subject = "the key"): string {
  const entry = EVENT_REGISTRY[e.type as EventType];
  return entry ? entry.describe(e, subject) : e.type;
}
