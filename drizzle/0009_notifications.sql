CREATE TABLE "client_usage" (
	"client_id" uuid NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"credential_kind" text NOT NULL,
	"credential_id" integer DEFAULT 0 NOT NULL,
	"outcome" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "client_usage_client_id_bucket_start_credential_kind_credential_id_outcome_pk" PRIMARY KEY("client_id","bucket_start","credential_kind","credential_id","outcome")
);
--> statement-breakpoint
CREATE TABLE "client_usage_sources" (
	"client_id" uuid NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"source_address" text NOT NULL,
	CONSTRAINT "client_usage_sources_client_id_hour_start_source_address_pk" PRIMARY KEY("client_id","hour_start","source_address")
);
--> statement-breakpoint
CREATE TABLE "notification_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"url" text,
	"signing_secret_encrypted" text,
	"signing_secret_hint" text,
	"email_admins" boolean DEFAULT false NOT NULL,
	"email_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"event_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"audit_cursor" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "notification_channels_name_len_ck" CHECK (char_length("notification_channels"."name") between 1 and 100),
	CONSTRAINT "notification_channels_webhook_ck" CHECK ("notification_channels"."kind" <> 'webhook' or ("notification_channels"."url" is not null and "notification_channels"."signing_secret_encrypted" is not null))
);
--> statement-breakpoint
CREATE TABLE "notification_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notification_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"event_id" bigint NOT NULL,
	"channel_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_response_code" integer,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notification_deliveries_event_channel_uq" UNIQUE("event_id","channel_id")
);
--> statement-breakpoint
CREATE TABLE "notification_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notification_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"message_id" text NOT NULL,
	"event_type" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"data" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_events_message_id_unique" UNIQUE("message_id"),
	CONSTRAINT "notification_events_dedupe_uq" UNIQUE("tenant_id","dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "notification_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"unused_days" integer DEFAULT 90 NOT NULL,
	"failure_spike_count" integer DEFAULT 20 NOT NULL,
	"failure_spike_minutes" integer DEFAULT 5 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "notification_settings_unused_ck" CHECK ("notification_settings"."unused_days" between 1 and 3650),
	CONSTRAINT "notification_settings_spike_count_ck" CHECK ("notification_settings"."failure_spike_count" between 1 and 100000),
	CONSTRAINT "notification_settings_spike_minutes_ck" CHECK ("notification_settings"."failure_spike_minutes" between 1 and 1440)
);
--> statement-breakpoint
CREATE TABLE "scheduler_jobs" (
	"name" text PRIMARY KEY NOT NULL,
	"last_run_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "client_secrets" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "client_usage" ADD CONSTRAINT "client_usage_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_usage_sources" ADD CONSTRAINT "client_usage_sources_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_event_id_notification_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."notification_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_channel_id_notification_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."notification_channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_events" ADD CONSTRAINT "notification_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "client_usage_bucket_idx" ON "client_usage" USING btree ("bucket_start");--> statement-breakpoint
CREATE INDEX "client_usage_sources_hour_idx" ON "client_usage_sources" USING btree ("hour_start");--> statement-breakpoint
CREATE INDEX "notification_channels_tenant_idx" ON "notification_channels" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries" USING btree ("next_attempt_at") WHERE "notification_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "notification_deliveries_channel_idx" ON "notification_deliveries" USING btree ("channel_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notification_events_tenant_idx" ON "notification_events" USING btree ("tenant_id","id");--> statement-breakpoint
-- A revoked secret (a leaked-secret report) must leave every instance's client cache at once, like any other change.
DROP TRIGGER client_secrets_changed_notify ON client_secrets;--> statement-breakpoint
CREATE TRIGGER client_secrets_changed_notify
  AFTER INSERT OR DELETE OR UPDATE OF client_id, secret_hash, expires_at, revoked_at
  ON client_secrets FOR EACH ROW EXECUTE FUNCTION tsc_notify_client_changed('client_id');
