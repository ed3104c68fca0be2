// Prisma CLI configuration. Migrations run through Prisma 6.19's WASM schema engine over @prisma/adapter-pg, so
// the CLI downloads no native engine (see ARCHITECTURE.md). The CLI is a tool outside the app, so it reads
// DATABASE_URL directly; `scripts/with-db.ts` sets it (embedded PostgreSQL) when it is not already set.
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { CatalogTextClient } from "./prisma/pg-catalog-shim";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  engine: "js",
  experimental: { adapter: true },
  async adapter() {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) {
      throw new Error(
        "DATABASE_URL is not set: run prisma through `npm run db -- <command>` to use the embedded database",
      );
    }
    return new PrismaPg({ connectionString, Client: CatalogTextClient } as ConstructorParameters<typeof PrismaPg>[0]);
  },
});
