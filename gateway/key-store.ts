// Keys as the gateway needs them (unsealed secret + scope), cached in memory and invalidated
// through PostgreSQL LISTEN/NOTIFY. While the LISTEN connection is down the cache is bypassed,
// so a revocation can never be missed; a database error surfaces as 503, never as a 403.
import pg from "pg";
import type { Db } from "../lib/db";
import { unsealKeySecret } from "../lib/keys/keyring";
import { KEY_CHANGED_CHANNEL } from "../lib/keys/notify";
import type { KeyScope } from "../lib/keys/scope";

export type GatewayKey = {
  keyId: string;
  accessKeyId: string;
  orgId: string;
  projectId: string;
  ownerId: string;
  secret: string;
  /** Rotation overlap window: the previous secret and when it stops working. */
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  region: string;
  scope: KeyScope;
  /** Every bucket of the project in the key's region, with creation dates (ListBuckets). */
  buckets: { name: string; createdAt: Date }[];
};

export class KeyStore {
  private cache = new Map<string, { key: GatewayKey | null; at: number }>();
  private loading = new Map<string, { promise: Promise<GatewayKey | null>; generation: number }>();
  private listener: pg.Client | null = null;
  private listening = false;
  private stopped = false;
  /** Bumped by every invalidation and cache reset; loads that straddle one are not cached. */
  private generation = 0;

  constructor(
    private readonly db: Db,
    private readonly databaseUrl: string,
    private readonly ttlMs = 60_000,
    /** An uncached lookup that takes longer fails (503): a frozen database must not hang clients. */
    private readonly lookupTimeoutMs = 1500,
    /** Bound of the cache: anyone can send requests for made-up access key ids, and each is remembered as unknown. */
    private readonly maxCached = 50_000,
  ) {}

  async start(): Promise<void> {
    await Promise.all([
      this.listen().catch(() => this.retryListen()),
      warmKeyLookups(this.db).catch(() => {}), // a database that is down now answers 503 later
    ]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.listener?.end().catch(() => {});
  }

  get cacheActive(): boolean {
    return this.listening;
  }

  /** Throws when the database is unreachable (the caller answers 503). */
  async lookup(accessKeyId: string): Promise<GatewayKey | null> {
    const hit = this.listening ? this.cache.get(accessKeyId) : undefined;
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.key;
    return withTimeout(this.load(accessKeyId), this.lookupTimeoutMs);
  }

  /**
   * One database load per access key id at a time: a burst of requests on a cold cache (a
   * restart, a rotation) costs one load, not one per request. A load that outlives its
   * caller's timeout still fills the cache, so the client's retry finds the key at once.
   */
  private load(accessKeyId: string): Promise<GatewayKey | null> {
    const generation = this.generation;
    const running = this.loading.get(accessKeyId);
    // A load that started before an invalidation may have read the state from before the
    // change: a request that arrives after the invalidation starts its own.
    if (running && running.generation === generation) return running.promise;
    const promise = loadGatewayKey(this.db, accessKeyId).then(
      (key) => {
        // Answered to the requests that started before any overlapping change, never cached.
        if (this.listening && generation === this.generation) this.remember(accessKeyId, key);
        return key;
      },
    ).finally(() => {
      if (this.loading.get(accessKeyId)?.promise === promise) this.loading.delete(accessKeyId);
    });
    promise.catch(() => {}); // a caller that timed out no longer listens; the next one gets its own error
    this.loading.set(accessKeyId, { promise, generation });
    return promise;
  }

  /** Caches a load as the newest entry; when full, the oldest goes (a key still in use is read again). */
  private remember(accessKeyId: string, key: GatewayKey | null): void {
    this.cache.delete(accessKeyId);
    if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(accessKeyId, { key, at: Date.now() });
  }

  /** Payloads: an access key id, "project:<id>" (buckets changed) or "user:<id>" (role changed). */
  invalidate(payload: string): void {
    this.generation++;
    if (payload.startsWith("project:") || payload.startsWith("user:")) {
      const id = payload.slice(payload.indexOf(":") + 1);
      for (const [k, v] of this.cache) if (v.key && (v.key.projectId === id || v.key.ownerId === id)) this.cache.delete(k);
    }
    this.cache.delete(payload);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 5000, keepAlive: true });
    const down = () => {
      if (!this.listening && this.listener !== client) return;
      this.listening = false;
      this.generation++;
      this.cache.clear();
      this.listener = null;
      client.end().catch(() => {});
      this.retryListen();
    };
    client.on("error", down);
    client.on("end", down);
    client.on("notification", (msg) => msg.payload && this.invalidate(msg.payload));
    await client.connect();
    await client.query(`LISTEN ${KEY_CHANGED_CHANNEL}`);
    this.listener = client;
    this.generation++;
    this.cache.clear(); // anything cached before LISTEN was established may have missed a change
    this.listening = true;
  }

  private retryListen(): void {
    if (this.stopped) return;
    setTimeout(() => void this.listen().catch(() => this.retryListen()), 1000).unref();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database lookup timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const readKey = (db: Db, accessKeyId: string) =>
  db.accessKey.findUnique({ where: { accessKeyId }, include: { buckets: { select: { bucket: { select: { name: true } } } } } });

const readKeyContext = (db: Db, k: { orgId: string; ownerId: string; projectId: string; regionId: string }) =>
  Promise.all([
    db.membership.findUnique({ where: { orgId_userId: { orgId: k.orgId, userId: k.ownerId } }, select: { role: true } }),
    db.bucket.findMany({ where: { projectId: k.projectId, regionId: k.regionId }, select: { name: true, createdAt: true }, orderBy: { name: "asc" } }),
  ]);

/**
 * Runs a lookup's queries once on nothing: the process's first lookup otherwise pays for the
 * database connection and the query planning (about 0.3 s on an idle machine, more than the
 * lookup timeout on a saturated one), and a freshly started worker would answer 503.
 */
export async function warmKeyLookups(db: Db): Promise<void> {
  await Promise.all([readKey(db, ""), readKeyContext(db, { orgId: "", ownerId: "", projectId: "", regionId: "" })]);
}

export async function loadGatewayKey(db: Db, accessKeyId: string): Promise<GatewayKey | null> {
  const k = await readKey(db, accessKeyId);
  if (!k) return null;
  const [membership, buckets] = await readKeyContext(db, k);
  return {
    keyId: k.id,
    accessKeyId: k.accessKeyId,
    orgId: k.orgId,
    projectId: k.projectId,
    ownerId: k.ownerId,
    secret: unsealKeySecret(k),
    ...previousSecretOf(k),
    region: k.regionId,
    buckets,
    scope: {
      kind: k.kind,
      role: membership?.role,
      permissions: k.permissions,
      allBuckets: k.allBuckets,
      buckets: k.buckets.map((b) => b.bucket.name),
      projectBuckets: buckets.map((b) => b.name),
      prefix: k.prefix,
      allowedCidrs: k.allowedCidrs,
      // A removed owner leaves the key without rights; treat it as revoked.
      expiresAt: k.expiresAt,
      revokedAt: k.revokedAt ?? (membership ? null : new Date(0)),
      disabledAt: k.disabledAt,
    },
  };
}

/** The previous secret while its window is open; a window that already ended is never unsealed. */
function previousSecretOf(k: { accessKeyId: string; previousSealedSecret: string | null; previousSecretUntil: Date | null }) {
  if (!k.previousSealedSecret || !k.previousSecretUntil || k.previousSecretUntil <= new Date()) return { previousSecret: null, previousSecretUntil: null };
  try {
    return { previousSecret: unsealKeySecret({ accessKeyId: k.accessKeyId, sealedSecret: k.previousSealedSecret }), previousSecretUntil: k.previousSecretUntil };
  } catch (err) {
    // E.g. sealed with a sealing key that was pruned since: the current secret still works.
    console.error(`[gateway] previous secret of ${k.accessKeyId} cannot be unsealed:`, (err as Error).message);
    return { previousSecret: null, previousSecretUntil: null };
  }
}
