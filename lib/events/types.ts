/** Every event type, `resource.verb`. Labels and sentences come from lib/events/registry. */
export const EVENT_TYPES = [
  "org.created",
  "member.invited",
  "member.joined",
  "member.role_changed",
  "member.removed",
  "project.created",
  "project.renamed",
  "project.deleted",
  "bucket.created",
  "bucket.deleted",
  "key.created",
  "key.updated",
  "key.rotated",
  "key.revoked",
  "key.expired",
  "key.shared",
  "key.share_retrieved",
  "key.share_cancelled",
  "key.request",
  "api.request",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
