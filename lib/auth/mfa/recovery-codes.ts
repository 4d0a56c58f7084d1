import { createHash, randomBytes } from 'node:crypto';
import { and, count, eq, isNull, max } from 'drizzle-orm';
import type { Db } from '../../db';
import { userRecoveryCodes } from '../../db/schema';

/**
 * One-time recovery codes: 10 per set, 80 random bits each, shown once as `xxxx-xxxx-xxxx-xxxx` in an alphabet without
 * look-alike characters. Stored as SHA-256 only: with 80 bits of randomness a fast hash cannot be searched
 * backwards, so no slow hash (or per-row salt) is needed. Using one is a single conditional UPDATE, so a code works
 * once however many requests race with it.
 */
export const RECOVERY_CODE_COUNT = 10;
// Crockford's base32, lower case: 32 symbols without i, l, o, u, so nothing reads as another character.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const CODE_CHARS = 16; // 80 bits

function randomCode(): string {
  // 256 is a multiple of 32: the low 5 bits of each random byte pick a symbol without bias.
  let out = '';
  for (const b of randomBytes(CODE_CHARS)) out += ALPHABET[b & 31];
  return out.replace(/(.{4})(?=.)/g, '$1-');
}

/** As people type it: any case, with or without dashes and spaces. */
export function normalizeRecoveryCode(raw: string): string {
  // Crockford's reading rules: o is 0, i and l are 1.
  return raw.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
}

export function looksLikeRecoveryCode(raw: string): boolean {
  return normalizeRecoveryCode(raw).length === CODE_CHARS;
}

export function hashRecoveryCode(raw: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(raw)).digest('base64url');
}

export function generateRecoveryCodes(): string[] {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(randomCode());
  return [...codes];
}

/** Replace the user's set (in the caller's transaction). Returns the plaintext codes: the only time they exist. */
export async function replaceRecoveryCodes(tx: Db, userId: string): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
  await tx.insert(userRecoveryCodes).values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })));
  return codes;
}

/** Spend a code: true once per code. */
export async function useRecoveryCode(db: Db, userId: string, raw: string): Promise<boolean> {
  if (!looksLikeRecoveryCode(raw)) return false;
  const rows = await db
    .update(userRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(eq(userRecoveryCodes.userId, userId), eq(userRecoveryCodes.codeHash, hashRecoveryCode(raw)), isNull(userRecoveryCodes.usedAt)),
    )
    .returning({ id: userRecoveryCodes.id });
  return rows.length === 1;
}

export type RecoveryCodeState = { total: number; remaining: number; generatedAt: Date | null };

export async function getRecoveryCodeState(db: Db, userId: string): Promise<RecoveryCodeState> {
  const [all] = await db
    .select({ total: count(), generatedAt: max(userRecoveryCodes.createdAt) })
    .from(userRecoveryCodes)
    .where(eq(userRecoveryCodes.userId, userId));
  const [unused] = await db
    .select({ remaining: count() })
    .from(userRecoveryCodes)
    .where(and(eq(userRecoveryCodes.userId, userId), isNull(userRecoveryCodes.usedAt)));
  return { total: all?.total ?? 0, remaining: unused?.remaining ?? 0, generatedAt: all?.generatedAt ?? null };
}

export async function removeRecoveryCodes(db: Db, userId: string) {
  await db.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
}

