-- Every committed change to what the token service caches about a client (lib/tokens/client-store.ts) is announced
-- by the database itself on channel tsc_client_changed (payload: the client id), so every instance's cache hears of
-- it whichever process, script or person wrote it. NOTIFY from a trigger is delivered on COMMIT and never for a
-- rolled-back transaction, and PostgreSQL sends one notification per distinct client id per transaction.
-- "Last used" stamps (last_used_at) are not announced: they change nothing a token request reads.
CREATE OR REPLACE FUNCTION tsc_notify_client_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  col text := TG_ARGV[0];
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('tsc_client_changed', to_jsonb(OLD) ->> col);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('tsc_client_changed', to_jsonb(NEW) ->> col);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER clients_changed_notify
  AFTER INSERT OR DELETE OR UPDATE OF tenant_id, client_type, name, token_lifetime, redirect_uris,
    post_logout_redirect_uris, allowed_cors_origins, refresh_token_lifetime, enabled
  ON clients FOR EACH ROW EXECUTE FUNCTION tsc_notify_client_changed('id');--> statement-breakpoint
CREATE TRIGGER client_secrets_changed_notify
  AFTER INSERT OR DELETE OR UPDATE OF client_id, secret_hash, expires_at
  ON client_secrets FOR EACH ROW EXECUTE FUNCTION tsc_notify_client_changed('client_id');--> statement-breakpoint
CREATE TRIGGER client_keys_changed_notify
  AFTER INSERT OR DELETE OR UPDATE OF client_id, source, kid, alg, public_jwk, jwks_url, expires_at
  ON client_keys FOR EACH ROW EXECUTE FUNCTION tsc_notify_client_changed('client_id');--> statement-breakpoint
CREATE TRIGGER client_roles_changed_notify
  AFTER INSERT OR DELETE OR UPDATE
  ON client_roles FOR EACH ROW EXECUTE FUNCTION tsc_notify_client_changed('client_id');--> statement-breakpoint
-- A renamed role changes the role claim of every client holding it (a removed role reaches client_roles by cascade).
CREATE OR REPLACE FUNCTION tsc_notify_role_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tsc_client_changed', cr.client_id::text) FROM client_roles cr WHERE cr.role_id = NEW.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER roles_renamed_notify
  AFTER UPDATE OF name ON roles FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION tsc_notify_role_renamed();
