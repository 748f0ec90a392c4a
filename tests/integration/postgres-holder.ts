// A process that starts the embedded PostgreSQL for a data directory and keeps it, as npm start
// does: `node --import tsx tests/integration/postgres-holder.ts <data dir>`. Prints "ready" once
// it serves (with a table `kept` holding one row); SIGTERM stops the server and exits.
import pg from "pg";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";

const server = await startEmbeddedPostgres({ dataDir: process.argv[2], quiet: true });
const client = new pg.Client({ connectionString: server.adminUrl("postgres") });
await client.connect();
await client.query("CREATE TABLE IF NOT EXISTS kept (v text); INSERT INTO kept VALUES ('before')");
await client.end();
process.on("SIGTERM", () => void server.stop().finally(() => process.exit(0)));
process.stdout.write("ready\n");
setInterval(() => {}, 1 << 30);
