import { defineConfig } from "prisma/config";

// Used by `prisma generate` only. Migrations run through scripts/db-migrate.ts
// (Prisma's WASM schema engine), and the runtime connects through @prisma/adapter-pg.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
