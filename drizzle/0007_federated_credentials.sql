CREATE TABLE "client_federated_credentials" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "client_federated_credentials_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"client_id" uuid NOT NULL,
	"name" text NOT NULL,
	"preset" text NOT NULL,
	"issuer" text NOT NULL,
	"audience" text NOT NULL,
	"subject" text NOT NULL,
	"subject_operator" text NOT NULL,
	"conditions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"jwks" jsonb,
	"max_token_age_seconds" integer DEFAULT 3600 NOT NULL,
	"single_use" boolean DEFAULT true NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"last_used_at" timestamp with time zone,
	"last_failure_at" timestamp with time zone,
	"last_failure_reason" text,
	CONSTRAINT "client_federated_credentials_client_name_uq" UNIQUE("client_id","name"),
	CONSTRAINT "client_federated_credentials_subject_op_ck" CHECK ("client_federated_credentials"."subject_operator" in ('equals', 'glob')),
	CONSTRAINT "client_federated_credentials_max_age_ck" CHECK ("client_federated_credentials"."max_token_age_seconds" between 60 and 86400)
);
--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "secretless_clients" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "client_federated_credentials" ADD CONSTRAINT "client_federated_credentials_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "client_federated_credentials_client_idx" ON "client_federated_credentials" USING btree ("client_id");--> statement-breakpoint
-- Announced like client_keys (migration 0005); last_used_at and the last failure are not: no token request reads them.
CREATE TRIGGER client_federated_credentials_changed_notify
  AFTER INSERT OR DELETE OR UPDATE OF client_id, issuer, audience, subject, subject_operator, conditions, jwks,
    max_token_age_seconds, single_use, expires_at
  ON client_federated_credentials FOR EACH ROW EXECUTE FUNCTION tsc_notify_client_changed('client_id');
