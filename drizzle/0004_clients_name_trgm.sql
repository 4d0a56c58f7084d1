-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. PGlite loads it in lib/db.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "clients_name_trgm_idx" ON "clients" USING gin (lower("name") gin_trgm_ops) WITH (gin_pending_list_limit=64);
