CREATE TABLE "api_resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"identifier" text NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "api_resources_name_len_ck" CHECK (char_length("api_resources"."name") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "client_api_access" (
	"client_id" uuid NOT NULL,
	"api_id" uuid NOT NULL,
	"scopes" text[],
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "client_api_access_client_id_api_id_pk" PRIMARY KEY("client_id","api_id")
);
--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD COLUMN "resource" text;--> statement-breakpoint
ALTER TABLE "device_authorizations" ADD COLUMN "resource" text;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD COLUMN "resource" text;--> statement-breakpoint
ALTER TABLE "api_resources" ADD CONSTRAINT "api_resources_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_api_access" ADD CONSTRAINT "client_api_access_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_api_access" ADD CONSTRAINT "client_api_access_api_id_api_resources_id_fk" FOREIGN KEY ("api_id") REFERENCES "public"."api_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_resources_tenant_identifier_uq" ON "api_resources" USING btree ("tenant_id","identifier");--> statement-breakpoint
CREATE INDEX "client_api_access_api_idx" ON "client_api_access" USING btree ("api_id");