import { z } from 'zod';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { getDb, type Db } from '../../db';
import { actorFromUser, type Actor } from '../../actions/admin-action';
import { fail, ok, zodFieldErrors, type ActionResult } from '../../actions/result';
import type { SessionUser } from '../users';
import {
  addPasskey,
  checkProof,
  confirmAuthenticatorApp,
  regenerateRecoveryCodes,
  removeAuthenticatorApp,
  removeOwnPasskey,
} from './factors';
import {
  addPasskeySchema,
  confirmTotpSchema,
  regenerateRecoveryCodesSchema,
  removePasskeySchema,
  removeTotpSchema,
} from './mfa.schema';
import { beginPasskeyRegistration, type RelyingParty } from './passkeys';
import { beginTotpEnrolment, totpUri } from './totp';
import { totpQrSvgDataUrl } from './qr';

/**
 * Account > Security: a signed-in user's own factors. Every export of the page's action file is a public endpoint:
 * this wrapper requires a session (the user comes from it, never from input), validates with the form's schema, and
 * turns an unexpected error into a generic message without the input. Any signed-in user may manage their own
 * factors, including an administrator who must enrol before anything else.
 */
export function makeAccountAction(getUser: () => Promise<SessionUser | null>) {
  return function accountAction<S extends z.ZodType, T>(
    schema: S,
    fn: (ctx: { db: Db; actor: Actor; user: SessionUser }, input: z.output<S>) => Promise<ActionResult<T>>,
  ) {
    return async (raw: unknown): Promise<ActionResult<T>> => {
      const user = await getUser();
      if (!user) return fail('Your session has ended. Sign in again.', 'unauthenticated');
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return { ok: false, code: 'invalid', fieldErrors: zodFieldErrors(parsed.error) };
      try {
        return await fn({ db: await getDb(), actor: actorFromUser(user), user }, parsed.data);
      } catch (err) {
        console.error('[mfa] unexpected error:', (err as Error).message.split('\n')[0]);
        return fail('Something went wrong on our side. Nothing was changed; try again.');
      }
    };
  };
}

/** Actions that take nothing: called with no argument (or an empty object), anything else is refused. */
const noInput = z.object({}).strict().optional();

const proofRefused = (message: string): ActionResult<never> => ({ ok: false, code: 'invalid', fieldErrors: { proof: message } });

/** The new seed (base32, shown grouped by four) and its QR code: handed over once, in the answer to this call. */
export type TotpEnrolment = { manualKey: string; qrDataUrl: string };

export function accountMfaActions(getUser: () => Promise<SessionUser | null>, relyingParty: () => Promise<RelyingParty>) {
  const action = makeAccountAction(getUser);
  return {
    /** A new seed, shown once in the page that asked (client state only); confirmed by the next call. */
    beginTotp: action(
      noInput,
      async ({ db, user }): Promise<ActionResult<TotpEnrolment>> => {
        const seed = await beginTotpEnrolment(db, user.id);
        if (!seed) return fail('An authenticator app is already set up. Remove it first to set up another.', 'conflict');
        return ok({ manualKey: seed, qrDataUrl: await totpQrSvgDataUrl(totpUri(seed, user.email)) });
      },
    ),
    confirmTotp: action(confirmTotpSchema, ({ db, actor }, input) => confirmAuthenticatorApp(db, actor, input.code)),
    removeTotp: action(removeTotpSchema, async ({ db, actor }, input) => {
      const proof = await checkProof(db, actor.id, input.proof);
      if (!proof.ok) return proofRefused(proof.message);
      return removeAuthenticatorApp(db, actor);
    }),
    beginPasskey: action(noInput, async ({ db, user }) => ok(await beginPasskeyRegistration(db, user, await relyingParty()))),
    addPasskey: action(addPasskeySchema, async ({ db, actor }, input) =>
      addPasskey(db, actor, { ...input, response: input.response as unknown as RegistrationResponseJSON }, await relyingParty()),
    ),
    removePasskey: action(removePasskeySchema, async ({ db, actor }, input) => {
      const proof = await checkProof(db, actor.id, input.proof);
      if (!proof.ok) return proofRefused(proof.message);
      return removeOwnPasskey(db, actor, input.passkeyId);
    }),
    regenerateRecoveryCodes: action(regenerateRecoveryCodesSchema, async ({ db, actor }, input) => {
      const proof = await checkProof(db, actor.id, input.proof);
      if (!proof.ok) return proofRefused(proof.message);
      return regenerateRecoveryCodes(db, actor);
    }),
  };
}
