/**
 * Reading the local outbox written by the outbox transport. Used by
 * integration and Playwright tests (and developers) to find magic links.
 */
import { readFile } from "node:fs/promises";
import { outboxPath, type EmailTag, type OutboxEntry } from "./transport";

export type { OutboxEntry } from "./transport";

export type EmailQuery = {
  to: string;
  tag?: EmailTag;
  /** Only entries written at or after this instant. */
  after?: Date | string | number;
};

/** All entries, oldest first. Missing file → []. Blank or partial lines are skipped. */
export async function readOutbox(dir: string): Promise<OutboxEntry[]> {
  let raw: string;
  try {
    raw = await readFile(outboxPath(dir), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const entries: OutboxEntry[] = [];
  for (const line of raw.split("\n")) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as OutboxEntry;
      if (parsed && typeof parsed.to === "string" && typeof parsed.at === "string") entries.push(parsed);
    } catch {
      // A line still being written by another process; it will parse on the next read.
    }
  }
  return entries;
}

function toMillis(value: Date | string | number): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`Invalid "after" timestamp: ${String(value)}`);
  return ms;
}

function matches(entry: OutboxEntry, query: EmailQuery, afterMs: number | null): boolean {
  if (entry.to.toLowerCase() !== query.to.trim().toLowerCase()) return false;
  if (query.tag && entry.tag !== query.tag) return false;
  if (afterMs !== null && Date.parse(entry.at) < afterMs) return false;
  return true;
}

/** The most recent entry for a recipient (case-insensitive), or null. */
export async function findLatestEmail(dir: string, query: EmailQuery): Promise<OutboxEntry | null> {
  const afterMs = query.after === undefined ? null : toMillis(query.after);
  const entries = await readOutbox(dir);
  for (let i = entries.length - 1; i >= 0; i--) {
    if (matches(entries[i], query, afterMs)) return entries[i];
  }
  return null;
}

export type WaitForEmailOptions = EmailQuery & { timeoutMs?: number; intervalMs?: number };

/** Polls until a matching entry appears; rejects after `timeoutMs` (default 10 s). */
export async function waitForEmail(dir: string, options: WaitForEmailOptions): Promise<OutboxEntry> {
  const { timeoutMs = 10_000, intervalMs = 100, ...query } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entry = await findLatestEmail(dir, query);
    if (entry) return entry;
    if (Date.now() >= deadline) {
      throw new Error(
        `No email${query.tag ? ` tagged "${query.tag}"` : ""} for ${query.to} in ${outboxPath(dir)} after ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
