// Data-plane events and "last used", written off the request path in batches. The buffer
// is bounded: when PostgreSQL falls behind, new events are dropped and counted rather than
// growing memory without limit or slowing requests down.
import type { Db } from "../lib/db";

export type RequestEvent = {
  at: Date;
  orgId: string;
  projectId: string;
  keyId: string;
  accessKeyId: string;
  outcome: "allowed" | "denied";
  operation: string;
  bucket: string | null;
  objectKey: string | null;
  status: number;
  errorCode: string | null;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  /** "current" or "previous" (rotation overlap window) when the signature was verified. */
  signedWith?: string | null;
};

export type EventWriterOptions = { maxBuffered?: number; batchSize?: number; intervalMs?: number; onDrop?: (n: number) => void };

export class EventWriter {
  private buffer: RequestEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  dropped = 0;

  constructor(private readonly db: Db, private readonly opts: EventWriterOptions = {}) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.opts.intervalMs ?? 500);
    this.timer.unref();
  }

  /** Never blocks and never throws: the data path must not wait on the event writer. */
  record(event: RequestEvent): void {
    if (this.buffer.length >= (this.opts.maxBuffered ?? 50_000)) {
      this.dropped++;
      this.opts.onDrop?.(1);
      return;
    }
    this.buffer.push(event);
    if (this.buffer.length >= (this.opts.batchSize ?? 1000)) void this.flush();
  }

  /** Writes everything buffered so far (serialized: one flush at a time). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      while (this.buffer.length) {
        const batch = this.buffer.splice(0, this.opts.batchSize ?? 1000);
        try {
          await this.write(batch);
        } catch (err) {
          console.error(`[gateway] could not write ${batch.length} events:`, (err as Error).message);
          this.buffer.unshift(...batch.slice(0, Math.max(0, (this.opts.maxBuffered ?? 50_000) - this.buffer.length)));
          return;
        }
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(batch: RequestEvent[]): Promise<void> {
    await this.db.event.createMany({
      data: batch.map((e) => ({
        type: "key.request", at: e.at, orgId: e.orgId, projectId: e.projectId, keyId: e.keyId, accessKeyId: e.accessKeyId,
        outcome: e.outcome, operation: e.operation, bucket: e.bucket, objectKey: e.objectKey, status: e.status, errorCode: e.errorCode,
        bytesIn: BigInt(e.bytesIn), bytesOut: BigInt(e.bytesOut), durationMs: Math.round(e.durationMs), ip: e.ip, userAgent: e.userAgent,
        requestId: e.requestId, signedWith: e.signedWith ?? null,
      })),
    });
    await this.updateLastUsed(batch);
  }

  /** One UPDATE per key per batch, never moving "last used" backwards. */
  private async updateLastUsed(batch: RequestEvent[]): Promise<void> {
    const latest = new Map<string, RequestEvent>();
    for (const e of batch) {
      const prev = latest.get(e.keyId);
      if (!prev || prev.at <= e.at) latest.set(e.keyId, e);
    }
    for (const e of latest.values()) {
      await this.db.$executeRaw`UPDATE "AccessKey" SET "lastUsedAt" = ${e.at}, "lastUsedIp" = ${e.ip}, "lastUsedOp" = ${e.operation}
        WHERE id = ${e.keyId} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ${e.at})`;
    }
  }
}
