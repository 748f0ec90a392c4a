// Data-plane events and "last used", written off the request path in batches with plain `pg`:
// one multi-row INSERT (unnest of column arrays) and one UPDATE for every key's "last used"
// per batch. Events are made storable before they are queued (event-storable.ts). A batch
// PostgreSQL refuses is split in halves until the refused rows are isolated; those are dropped,
// logged once per flush and counted, the rest is written: one bad row never stops the log.
// While PostgreSQL is unreachable the batch stays queued; the buffer is bounded, so new events
// are then dropped and counted rather than growing memory or slowing requests down.
// Every wait is bounded by the database timeouts (lib/db.ts): a frozen PostgreSQL fails a flush
// instead of stalling it, and the gateway's shutdown, forever. An INSERT that failed without an
// answer may still have been stored (the reply lost on its way back, a server that thaws): its
// events are written again only where they are not there yet, so none is lost or stored twice.
import pg from "pg";
import { poolConfig, type DbTimeouts } from "../lib/db";
import { storableEvent } from "./event-storable";

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

export type EventWriterOptions = {
  maxBuffered?: number;
  batchSize?: number;
  intervalMs?: number;
  /** Events dropped because the buffer was full. */
  onDrop?: (n: number) => void;
  /** Events dropped because PostgreSQL refused them. */
  onRefused?: (n: number) => void;
  /** Connect / pool wait and statement limits; the configured ones by default. */
  timeouts?: DbTimeouts;
};

const COLUMNS = `"at", "orgId", "projectId", "keyId", "accessKeyId", "outcome", "operation", "bucket", "objectKey", "status",
  "errorCode", "bytesIn", "bytesOut", "durationMs", "ip", "userAgent", "requestId", "signedWith"`;
const UNNEST = `unnest($1::timestamp(3)[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
  $9::text[], $10::int[], $11::text[], $12::bigint[], $13::bigint[], $14::int[], $15::text[], $16::text[], $17::text[], $18::text[])`;
const INSERT = `INSERT INTO "Event" ("type", ${COLUMNS}) SELECT 'key.request', * FROM ${UNNEST}`;
/** The same, for events that may be stored already: each one only if its request is not there (the (keyId, at) index finds it). */
const INSERT_MISSING = `INSERT INTO "Event" ("type", ${COLUMNS}) SELECT 'key.request', u.* FROM ${UNNEST} AS u(${COLUMNS})
WHERE NOT EXISTS (SELECT 1 FROM "Event" e WHERE e."keyId" = u."keyId" AND e."at" = u."at" AND e."requestId" = u."requestId")`;

// Never moves "last used" backwards (several gateways write concurrently).
const LAST_USED = `UPDATE "AccessKey" AS k SET "lastUsedAt" = u.at, "lastUsedIp" = u.ip, "lastUsedOp" = u.op
FROM unnest($1::text[], $2::timestamp(3)[], $3::text[], $4::text[]) AS u(id, at, ip, op)
WHERE k.id = u.id AND (k."lastUsedAt" IS NULL OR k."lastUsedAt" < u.at)`;

/** SQLSTATE classes meaning "this data cannot be stored" (22 data exception, 23 constraint, 54 limits). */
const refusedData = (err: unknown) => /^(22|23|54)/.test(String((err as { code?: unknown }).code ?? ""));

type Refusal = { count: number; firstRequestId?: string; message?: string };

export class EventWriter {
  private buffer: RequestEvent[] = [];
  /** How many events at the head of the buffer were in an INSERT that failed: maybe stored already. */
  private unsure = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly pool: pg.Pool;
  dropped = 0;
  refused = 0;

  constructor(databaseUrl: string, private readonly opts: EventWriterOptions = {}) {
    this.pool = new pg.Pool(poolConfig(databaseUrl, 2, opts.timeouts));
    // An idle client losing its connection emits 'error' on the pool: without a listener that
    // would crash the process. The next query simply opens a new connection.
    this.pool.on("error", (err) => console.error("[gateway] event writer connection lost:", err.message));
  }

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
    this.buffer.push(storableEvent(event));
    if (this.buffer.length >= (this.opts.batchSize ?? 1000)) void this.flush();
  }

  /** Writes everything buffered so far (serialized: one flush at a time); never rejects. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.drain()).catch((err: Error) => console.error("[gateway] event flush failed:", err.message));
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.pool.end().catch(() => {});
  }

  private async drain(): Promise<void> {
    const refusal: Refusal = { count: 0 };
    while (this.buffer.length) {
      const batch = this.buffer.splice(0, this.opts.batchSize ?? 1000);
      const unsure = this.unsure > 0;
      this.unsure = Math.max(0, this.unsure - batch.length);
      try {
        await this.insert(batch, refusal, unsure);
      } catch (err) {
        // PostgreSQL unreachable: keep the batch for the next round, within the bound; events
        // beyond it are dropped and counted.
        console.error(`[gateway] could not write ${batch.length} events:`, (err as Error).message);
        const keep = Math.max(0, (this.opts.maxBuffered ?? 50_000) - this.buffer.length);
        if (keep < batch.length) this.countDropped(batch.length - keep);
        this.buffer.unshift(...batch.slice(0, keep));
        this.unsure += keep;
        break;
      }
      // The events are stored; a failed "last used" update is not retried (the next batch moves it on).
      await this.pool
        .query({ name: "keygate_last_used", text: LAST_USED, values: lastUsedColumns(batch) })
        .catch((err: Error) => console.error("[gateway] could not update last used:", err.message));
    }
    if (refusal.count > 0) {
      this.refused += refusal.count;
      this.opts.onRefused?.(refusal.count);
      console.error(`[gateway] dropped ${refusal.count} event(s) PostgreSQL refused (first: request ${refusal.firstRequestId}): ${refusal.message}`);
    }
  }

  /**
   * Inserts `batch` (`unsure`: only its events not stored yet); when PostgreSQL refuses the data,
   * halves it until the bad rows are isolated.
   */
  private async insert(batch: RequestEvent[], refusal: Refusal, unsure: boolean): Promise<void> {
    try {
      const query = unsure ? { name: "keygate_events_insert_missing", text: INSERT_MISSING } : { name: "keygate_events_insert", text: INSERT };
      await this.pool.query({ ...query, values: eventColumns(batch) });
    } catch (err) {
      if (!refusedData(err)) throw err;
      if (batch.length === 1) {
        refusal.count++;
        refusal.firstRequestId ??= batch[0].requestId;
        refusal.message ??= (err as Error).message;
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.insert(batch.slice(0, half), refusal, unsure);
      await this.insert(batch.slice(half), refusal, unsure);
    }
  }

  private countDropped(n: number): void {
    this.dropped += n;
    this.opts.onDrop?.(n);
  }
}

function eventColumns(batch: RequestEvent[]): unknown[] {
  const cols: unknown[][] = Array.from({ length: 18 }, () => new Array<unknown>(batch.length));
  for (let i = 0; i < batch.length; i++) {
    const e = batch[i];
    cols[0][i] = e.at.toISOString(); // UTC, as Prisma stores timestamp(3)
    cols[1][i] = e.orgId;
    cols[2][i] = e.projectId;
    cols[3][i] = e.keyId;
    cols[4][i] = e.accessKeyId;
    cols[5][i] = e.outcome;
    cols[6][i] = e.operation;
    cols[7][i] = e.bucket;
    cols[8][i] = e.objectKey;
    cols[9][i] = e.status;
    cols[10][i] = e.errorCode;
    cols[11][i] = e.bytesIn;
    cols[12][i] = e.bytesOut;
    cols[13][i] = e.durationMs;
    cols[14][i] = e.ip;
    cols[15][i] = e.userAgent;
    cols[16][i] = e.requestId;
    cols[17][i] = e.signedWith ?? null;
  }
  return cols;
}

/**
 * The latest allowed request per key of the batch, as the four columns of LAST_USED. "Last used"
 * means the key authenticated and was allowed; refused requests stay in the events only.
 */
function lastUsedColumns(batch: RequestEvent[]): unknown[] {
  const latest = new Map<string, RequestEvent>();
  for (const e of batch) {
    if (e.outcome !== "allowed") continue;
    const prev = latest.get(e.keyId);
    if (!prev || prev.at <= e.at) latest.set(e.keyId, e);
  }
  const ids: string[] = [], ats: string[] = [], ips: (string | null)[] = [], ops: string[] = [];
  for (const e of latest.values()) {
    ids.push(e.keyId);
    ats.push(e.at.toISOString());
    ips.push(e.ip);
    ops.push(e.operation);
  }
  return [ids, ats, ips, ops];
}
