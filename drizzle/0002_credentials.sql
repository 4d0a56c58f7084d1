CREATE TABLE "client_assertion_jtis" (
	"client_id" uuid NOT NULL,
	"jti" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "client_assertion_jtis_client_id_jti_pk" PRIMARY KEY("client_id","jti")
);
--> statement-breakpoint
CREATE TABLE "client_keys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "client_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"client_id" uuid NOT NULL,
	"source" text NOT NULL,
	"kid" text,
	"alg" text,
	"thumbprint" text,
	"public_jwk" jsonb,
	"jwks_url" text,
	"description" text DEFAULT '' NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "client_keys_client_thumbprint_uq" UNIQUE("client_id","thumbprint"),
	CONSTRAINT "client_keys_client_jwks_url_uq" UNIQUE("client_id","jwks_url"),
	CONSTRAINT "client_keys_source_ck" CHECK (("client_keys"."source" in ('pem', 'jwk') and "client_keys"."public_jwk" is not null and "client_keys"."thumbprint" is not null and "client_keys"."alg" is not null) or ("client_keys"."source" = 'jwks_url' and "client_keys"."jwks_url" is not null))
);
--> statement-breakpoint
CREATE TABLE "revoked_tokens" (
	"jti" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"max_secret_lifetime_days" integer,
	"allow_never_expires" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "tenant_settings_lifetime_ck" CHECK ("tenant_settings"."max_secret_lifetime_days" is null or "tenant_settings"."max_secret_lifetime_days" between 1 and 3650)
);
--> statement-breakpoint
ALTER TABLE "client_keys" ADD CONSTRAINT "client_keys_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD CONSTRAINT "tenant_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "client_assertion_jtis_expires_idx" ON "client_assertion_jtis" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "client_keys_client_idx" ON "client_keys" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "revoked_tokens_expires_idx" ON "revoked_tokens" USING btree ("expires_at");