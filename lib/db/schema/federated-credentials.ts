import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { clients } from './clients';

/** One further claim condition of a federated credential: all of them must hold. */
export type FederatedCondition = { claim: string; operator: 'equals' | 'glob' | 'one_of'; values: string[] };

/**
 * Federated credentials (lib/clients/federated): a client-credentials client authenticates with a JWT its platform issued
 * (GitHub Actions, GitLab CI, Kubernetes, SPIFFE, any OIDC issuer) instead of a secret. Nothing secret is stored: the
 * issuer, the audience the token must carry, the subject and claim conditions, and optionally the issuer's public
 * JWK Set pasted by the administrator (for issuers whose keys are not public, such as a private cluster).
 */
export const clientFederatedCredentials = pgTable(
  'client_federated_credentials',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // 'github_actions' | 'gitlab_ci' | 'kubernetes' | 'spiffe' | 'oidc': which preset filled the form (display only).
    preset: text('preset').notNull(),
    issuer: text('issuer').notNull(),
    audience: text('audience').notNull(),
    subject: text('subject').notNull(),
    // 'equals' | 'glob'
    subjectOperator: text('subject_operator').notNull(),
    conditions: jsonb('conditions').$type<FederatedCondition[]>().notNull().default([]),
    // A pasted public JWK Set; null: the keys come from the issuer's OIDC discovery.
    jwks: jsonb('jwks').$type<{ keys: Record<string, unknown>[] }>(),
    maxTokenAgeSeconds: integer('max_token_age_seconds').notNull().default(3600),
    // Each token (by iss + jti) is accepted once. Off for Kubernetes, whose projected tokens are reused until refreshed.
    singleUse: boolean('single_use').notNull().default(true),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    // Disabled: kept with its settings, but accepts no token until enabled again (Edit Federated Credential).
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }),
    // Why the last refused token was refused (a condition and the claim value it saw); never the token.
    lastFailureReason: text('last_failure_reason'),
  },
  (t) => [
    index('client_federated_credentials_client_idx').on(t.clientId),
    unique('client_federated_credentials_client_name_uq').on(t.clientId, t.name),
    check('client_federated_credentials_subject_op_ck', sql`${t.subjectOperator} in ('equals', 'glob')`),
    check('client_federated_credentials_max_age_ck', sql`${t.maxTokenAgeSeconds} between 60 and 86400`),
  ],
);
