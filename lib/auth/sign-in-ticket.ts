import { randomBytes } from 'node:crypto';

/**
 * The hand-over from lib/auth/sign-in-flow.ts to next-auth, inside one process: completeSignIn creates the session
 * row, puts its id under a random single-use ticket here, and calls next-auth's credentials sign-in with the ticket,
 * which next-auth's authorize() (lib/auth/auth.ts) redeems to write the session cookie. The ticket never leaves the
 * server, so POST /api/auth/callback/credentials from outside can sign nobody in: no password is accepted there.
 */
const TICKET_TTL_MS = 30_000;

type Ticket = { sessionId: string; userId: string; expiresAt: number };
// On globalThis: issued in one module graph, redeemed in whichever runs next-auth.
const tickets = ((globalThis as Record<string, unknown>).__tscSignInTickets ??= new Map()) as Map<string, Ticket>;

export function issueSignInTicket(sessionId: string, userId: string, now = Date.now()): string {
  for (const [k, t] of tickets) if (t.expiresAt <= now) tickets.delete(k);
  const ticket = randomBytes(32).toString('base64url');
  tickets.set(ticket, { sessionId, userId, expiresAt: now + TICKET_TTL_MS });
  return ticket;
}

/** The ticket's session, once: a second redemption, an unknown or an expired ticket gets null. */
export function redeemSignInTicket(ticket: unknown, now = Date.now()): { sessionId: string; userId: string } | null {
  if (typeof ticket !== 'string' || ticket.length !== 43) return null;
  const t = tickets.get(ticket);
  if (!t) return null;
  tickets.delete(ticket);
  if (t.expiresAt <= now) return null;
  return { sessionId: t.sessionId, userId: t.userId };
}
