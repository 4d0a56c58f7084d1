ALTER TABLE "clients" ADD COLUMN "require_dpop" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD COLUMN "dpop_jkt" text;--> statement-breakpoint
ALTER TABLE "client_keys" ADD COLUMN "alg_exact" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "client_keys" ADD COLUMN "last_used_alg" text;--> statement-breakpoint
-- A PEM carries no algorithm: keys registered as PEM before this migration accept RS256 and PS256 from now on.
UPDATE "client_keys" SET "alg_exact" = false WHERE "source" = 'pem';
--> statement-breakpoint
-- The token service caches require_dpop and alg_exact (lib/tokens/client-store.ts): announce their changes too.
DROP TRIGGER clients_changed_notify ON clients;--> statement-breakpoint
CREATE TRIGGER clients_changed_notify
  AFTER INSERT OR DELETE OR UPDATE OF tenant_id, client_type, name, token_lifetime, redirect_uris,
    post_logout_redirect_uris, allowed_cors_origins, refresh_token_lifetime, enabled, require_dpop
  ON clients FOR EACH ROW EXECUTE FUNCTION tsc_notify_client_changed('id');--> statement-breakpoint
DROP TRIGGER client_keys_changed_notify ON client_keys;--> statement-breakpoint
CREATE TRIGGER client_keys_changed_notify
  AFTER INSERT OR DELETE OR UPDATE OF client_id, source, kid, alg, alg_exact, public_jwk, jwks_url, expires_at
  ON client_keys FOR EACH ROW EXECUTE FUNCTION tsc_notify_client_changed('client_id');
