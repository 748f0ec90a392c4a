// Least privilege for the embedded database: Keygate (migrations, web, gateway, CLI) connects
// as `keygate`, a login role that owns its database and is not a superuser. The superuser
// (`postgres`) only creates that role and its databases.
import pg from "pg";

export const APP_ROLE = "keygate";

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates the role, or resets its password and privileges to what they must be. */
export async function ensureAppRole(adminUrl: string, password: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_ROLE]);
    const verb = exists.rowCount ? "ALTER" : "CREATE";
    await client.query(`${verb} ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(password)}`);
  });
}

/**
 * Creates `name` owned by the app role. A database from before this role existed (owned by
 * `postgres`, as earlier versions made it) is handed over, with everything in its public schema.
 */
export async function createOwnedDatabase(adminUrl: (database: string) => string, name: string): Promise<void> {
  if (!/^[a-zA-Z0-9_]+$/.test(name)) throw new Error(`invalid database name: ${name}`);
  const owner = await withClient(adminUrl("postgres"), async (client) => {
    const row = await client.query<{ owner: string }>("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [name]);
    if (row.rowCount === 0) await client.query(`CREATE DATABASE "${name}" OWNER ${APP_ROLE}`);
    return row.rows[0]?.owner ?? APP_ROLE;
  });
  if (owner === APP_ROLE) return;
  await withClient(adminUrl("postgres"), (client) => client.query(`ALTER DATABASE "${name}" OWNER TO ${APP_ROLE}`));
  await withClient(adminUrl(name), (client) => client.query(HAND_OVER_PUBLIC_SCHEMA));
}

// Tables first (ALTER TABLE also moves the sequences they own), then what is left: sequences,
// views and types of the public schema, and the schema itself.
const HAND_OVER_PUBLIC_SCHEMA = `
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER TABLE public.%I OWNER TO ${APP_ROLE}', r.tablename);
  END LOOP;
  FOR r IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' AND sequenceowner <> '${APP_ROLE}' LOOP
    EXECUTE format('ALTER SEQUENCE public.%I OWNER TO ${APP_ROLE}', r.sequencename);
  END LOOP;
  FOR r IN SELECT viewname FROM pg_views WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER VIEW public.%I OWNER TO ${APP_ROLE}', r.viewname);
  END LOOP;
  FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd') LOOP
    EXECUTE format('ALTER TYPE public.%I OWNER TO ${APP_ROLE}', r.typname);
  END LOOP;
END $$;
ALTER SCHEMA public OWNER TO ${APP_ROLE};`;
