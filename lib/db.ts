import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { getEnv } from "./env";

export type Db = PrismaClient;
/** A client or an interactive transaction: core functions accept either. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createDb(databaseUrl: string, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max }) });
}

const globalForDb = globalThis as unknown as { keygateDb?: PrismaClient };

/** The process-wide client (one per process; survives Next.js dev reloads). */
export function getDb(): PrismaClient {
  if (!globalForDb.keygateDb) {
    const url = getEnv().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded database)");
    globalForDb.keygateDb = createDb(url);
  }
  return globalForDb.keygateDb;
}
