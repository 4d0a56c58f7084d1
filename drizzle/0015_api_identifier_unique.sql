DROP INDEX "api_resources_tenant_identifier_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "api_resources_identifier_uq" ON "api_resources" USING btree ("identifier");--> statement-breakpoint
CREATE INDEX "api_resources_tenant_idx" ON "api_resources" USING btree ("tenant_id");