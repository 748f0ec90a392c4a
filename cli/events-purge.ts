// keygate events purge: delete events older than the retention period, in bounded batches.
import { listObjectLockBuckets } from "../lib/events/lock-buckets";
import { purgeOldEvents } from "../lib/events/retention";
import { getRegionStorage } from "../lib/storage/regions";
import { type Command, intValue, jsonOption, out } from "./command";
import { withDatabase } from "./context";

const DAY_MS = 86_400_000;

export const eventsPurgeCommand: Command = {
  name: "events purge",
  usage: "[--retention-days <n>] [--batch-size <n>] [--dry-run] [--json]",
  summary: "Delete events older than the retention period.",
  description: `
Keeps the last KEYGATE_EVENT_RETENTION_DAYS days (default 183, about 6 months) unless
--retention-days says otherwise. Events of buckets with Object Lock and a default retention are
kept for max(that, the bucket's default retention period) (--dry-run counts them too). Deletes in batches so each transaction stays small; safe to
interrupt and rerun.`,
  options: {
    "retention-days": { type: "string", value: "n", description: "Keep this many days (default: KEYGATE_EVENT_RETENTION_DAYS)" },
    "batch-size": { type: "string", value: "n", description: "Event ids per DELETE (default: 10000)" },
    "dry-run": { type: "boolean", description: "Only count what would be deleted" },
    json: jsonOption,
  },
  examples: ["keygate events purge", "keygate events purge --retention-days 30 --dry-run"],
  run: ({ values }) => {
    const days = intValue(values, "retention-days", { min: 1, max: 3650 });
    const batchSize = intValue(values, "batch-size", { min: 1, max: 1_000_000, fallback: 10_000 });
    return withDatabase(async ({ env, db }) => {
      const retentionDays = days ?? env.KEYGATE_EVENT_RETENTION_DAYS;
      const now = new Date();
      const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
      const deleted = values["dry-run"]
        ? await db.event.count({ where: { at: { lt: cutoff } } })
        : await purgeOldEvents(db, { retentionDays, batchSize, now, log: () => {}, keep: () => listObjectLockBuckets(db, getRegionStorage) });
      const result = { retentionDays, cutoff: cutoff.toISOString(), dryRun: values["dry-run"] === true, [values["dry-run"] ? "wouldDelete" : "deleted"]: deleted };
      if (values.json) return out.json(result);
      out.line(values["dry-run"]
        ? `${deleted} event(s) older than ${cutoff.toISOString()} (${retentionDays} days) would be deleted.`
        : `Deleted ${deleted} event(s) older than ${cutoff.toISOString()} (${retentionDays} days).`);
    });
  },
};
