import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../../db';
import { webauthnChallenges } from '../../db/schema';

/**
 * Single-use WebAuthn challenges shared by every instance. The caller gets a random state id (to hold in the page or
 * a cookie); the table keeps only its SHA-256, so reading the table does not let anyone answer a challenge. Taking a
 * challenge deletes it in the same statement: it can be used once, before it expires, by exactly one request.
 */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export type ChallengePurpose = 'register' | 'authenticate';

const hashStateId = (stateId: string) => createHash('sha256').update(stateId).digest('base64url');

export async function storeChallenge(
  db: Db,
  input: { purpose: ChallengePurpose; userId: string | null; challenge: string },
  now = Date.now(),
): Promise<string> {
  const stateId = randomBytes(32).toString('base64url');
  // Expired challenges nobody came back for: cleared as new ones are made, so the table stays small.
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, new Date(now)));
  await db.insert(webauthnChallenges).values({
    idHash: hashStateId(stateId),
    purpose: input.purpose,
    userId: input.userId,
    challenge: input.challenge,
    expiresAt: new Date(now + CHALLENGE_TTL_MS),
  });
  return stateId;
}

/** The challenge for this state id and purpose, removed as it is read; null if unknown, used or expired. */
export async function takeChallenge(
  db: Db,
  stateId: unknown,
  purpose: ChallengePurpose,
  now = Date.now(),
): Promise<{ challenge: string; userId: string | null } | null> {
  if (typeof stateId !== 'string' || stateId.length < 20 || stateId.length > 100) return null;
  const [row] = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.idHash, hashStateId(stateId)),
        eq(webauthnChallenges.purpose, purpose),
        gt(webauthnChallenges.expiresAt, new Date(now)),
      ),
    )
    .returning({ challenge: webauthnChallenges.challenge, userId: webauthnChallenges.userId });
  return row ?? null;
}
