// Least privilege on the embedded database: migrations and the app connect as `keygate`, which
// owns its database and is not a superuser; a database from an earlier version (owned by
// `postgres`) is handed over on start.
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startEmbeddedPostgres, type RunningPostgres } from "../../scripts/lib/embedded-postgres";

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const ROLE_FACTS = `SELECT current_user AS "user", r.rolsuper AS super, r.rolcreatedb AS createdb, r.rolcreaterole AS createrole,
  pg_get_userbyid(d.datdba) AS "dbOwner"
  FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`;

let server: RunningPostgres | null = null;
let dataDir: string | null = null;
afterAll(async () => {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("the embedded database's role", () => {
  it("the tests, like npm start, run migrations and queries as keygate: owner, not superuser", async () => {
    const url = inject("databaseUrl");
    expect(await query(url, ROLE_FACTS)).toEqual([{ user: "keygate", super: false, createdb: false, createrole: false, dbOwner: "keygate" }]);
    const foreign = await query(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'keygate'`);
    expect(foreign).toEqual([]);
    await expect(query(url, "CREATE ROLE intruder SUPERUSER")).rejects.toThrow(/permission denied/);
  });

  it("hands a database created by an earlier version (owned by postgres) over to keygate", async () => {
    dataDir = await mkdtemp(path.resolve("test-data", "least-privilege-"));
    server = await startEmbeddedPostgres({ dataDir, quiet: true });
    await query(server.adminUrl("postgres"), "CREATE DATABASE legacy");
    await query(server.adminUrl("legacy"), `CREATE TYPE "Role" AS ENUM ('ADMIN'); CREATE TABLE "User" (id serial PRIMARY KEY, role "Role");
      CREATE SEQUENCE loose_seq; CREATE VIEW admins AS SELECT * FROM "User"`);
    await server.createDatabase("legacy");
    expect((await query(server.url("legacy"), ROLE_FACTS))[0]).toMatchObject({ user: "keygate", super: false, dbOwner: "keygate" });
    // A migration's worth of work, as keygate: alter, write, use the sequence, drop the view.
    await query(server.url("legacy"), `ALTER TABLE "User" ADD COLUMN name text; INSERT INTO "User"(role) VALUES ('ADMIN');
      ALTER TYPE "Role" ADD VALUE 'MEMBER'; SELECT nextval('loose_seq'); DROP VIEW admins`);
  });
});
