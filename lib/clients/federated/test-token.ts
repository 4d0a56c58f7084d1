import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db';
import { clientFederatedCredentials, clients } from '../../db/schema';
import type { Actor } from '../../actions/actor';
import { fail, fieldFail, ok, type ActionResult } from '../../actions/result';
import { CLIENT_NOT_FOUND } from '../messages';
import { loadedFederated, verifyFederated } from '../../tokens/federated-assertion';
import { checkClaims, decodeFederatedToken, shown, type CheckResult } from '../../tokens/federation/evaluate';
import type { TestTokenInput } from './federated-credential.schema';

/**
 * Test a token (the Federated Credentials tab): an administrator pastes a sample platform token, or just its claims
 * as JSON, and sees for each federated credential of the client which checks pass and why. The same checks as the
 * token endpoint (lib/tokens/federation/evaluate.ts, lib/tokens/federated-assertion.ts), minus the replay check. Nothing is
 * stored or logged, and the answer holds claim values, never the token.
 */
export type SignatureCheck = { status: 'pass' | 'fail' | 'not_checked'; detail: string };
export type CredentialVerdict = { id: number; name: string; accepted: boolean; signature: SignatureCheck; checks: CheckResult[] };
export type TestTokenResult = {
  kind: 'token' | 'claims';
  summary: { iss: string | null; sub: string | null; aud: string | null };
  /** Set when the token could never be accepted whatever the credential (alg none, HMAC, malformed). */
  tokenProblem: string | null;
  credentials: CredentialVerdict[];
};

const TOKEN_FIELD = 'token';

function payloadOf(text: string): { kind: 'token' | 'claims'; claims: Record<string, unknown> } | null {
  const parse = (json: string) => {
    try {
      const v: unknown = JSON.parse(json);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  if (text.startsWith('{')) {
    const claims = parse(text);
    return claims ? { kind: 'claims', claims } : null;
  }
  const parts = text.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return null;
  const claims = parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  return claims ? { kind: 'token', claims } : null;
}

export async function testFederatedToken(db: Db, actor: Actor, input: TestTokenInput, nowMs = Date.now()): Promise<ActionResult<TestTokenResult>> {
  const [client] = await db
    .select({ id: clients.id })
    .from(clients)
    .where(and(eq(clients.id, input.clientId), eq(clients.tenantId, actor.tenantId)));
  if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
  const payload = payloadOf(input.token);
  if (!payload) {
    return fieldFail({ [TOKEN_FIELD]: 'Paste a JWT (three parts separated by dots) or a JSON object of claims.' });
  }
  const rows = await db.select().from(clientFederatedCredentials).where(eq(clientFederatedCredentials.clientId, client.id));
  const federated = loadedFederated(
    rows.map((r) => ({ ...r, expiresAt: r.expiresAt ? r.expiresAt.getTime() : null })),
  );
  const decoded = payload.kind === 'token' ? decodeFederatedToken(input.token) : null;
  const tokenProblem = decoded && !decoded.ok ? decoded.reason : null;
  const { claims } = payload;
  const credentials: CredentialVerdict[] = [];
  for (const f of federated) {
    const checks = checkClaims(f, claims, nowMs);
    if (f.expiresAt !== null && f.expiresAt <= nowMs) {
      checks.unshift({ check: 'credential', label: 'The credential has not expired', ok: false, detail: 'the federated credential has expired' });
    }
    if (!f.enabled) checks.unshift({ check: 'credential', label: 'The credential is enabled', ok: false, detail: 'the federated credential is disabled' });
    let signature: SignatureCheck;
    if (payload.kind === 'claims') signature = { status: 'not_checked', detail: 'Claims only: paste the whole token to check its signature.' };
    else if (!decoded || !decoded.ok) signature = { status: 'fail', detail: tokenProblem ?? 'the token is not a signed JWT' };
    else if (claims.iss !== f.issuer) signature = { status: 'not_checked', detail: 'Not checked: the token has another issuer.' };
    else {
      // The endpoint's own verification, against this credential alone (expiry and status aside: shown above).
      const verdict = await verifyFederated(decoded.token, [{ ...f, expiresAt: null, enabled: true }], nowMs);
      const sigRefusal = verdict.ok ? null : verdict.refusals.find((r) => /signature|keys could not be fetched/.test(r.reason));
      signature = sigRefusal ? { status: 'fail', detail: sigRefusal.reason } : { status: 'pass', detail: 'Verified with the issuer\'s keys.' };
    }
    const accepted = signature.status === 'pass' && checks.every((c) => c.ok);
    credentials.push({ id: f.id, name: f.name, accepted, signature, checks });
  }
  const str = (v: unknown) => (v === undefined ? null : shown(v));
  return ok({ kind: payload.kind, summary: { iss: str(claims.iss), sub: str(claims.sub), aud: str(claims.aud) }, tokenProblem, credentials });
}
