import type { Db } from "./db";

/** Readiness: PostgreSQL answers a trivial query within `timeoutMs`. */
export async function databaseReachable(db: Db, timeoutMs = 1500): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([db.$queryRaw`SELECT 1`.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
