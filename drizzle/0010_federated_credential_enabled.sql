ALTER TABLE "client_federated_credentials" ADD COLUMN "enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
-- Edit Federated Credential: a change of its name (in refusal reasons) or of enabled reaches every instance's cache too.
DROP TRIGGER IF EXISTS client_federated_credentials_changed_notify ON client_federated_credentials;--> statement-breakpoint
CREATE TRIGGER client_federated_credentials_changed_notify
  AFTER INSERT OR DELETE OR UPDATE OF client_id, name, issuer, audience, subject, subject_operator, conditions, jwks,
    max_token_age_seconds, single_use, expires_at, enabled
  ON client_federated_credentials FOR EACH ROW EXECUTE FUNCTION tsc_notify_client_changed('client_id');
