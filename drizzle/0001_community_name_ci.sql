ALTER TABLE "communities" DROP CONSTRAINT "communities_name_unique";--> statement-breakpoint
CREATE UNIQUE INDEX "communities_name_lower_uq" ON "communities" USING btree (lower("name"));