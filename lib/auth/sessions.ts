import { and, desc, eq, lt, ne, sql } from 'drizzle-orm';
import { getDbHandle, type Db, type DbHandle } from '../db';
import { sessions, tenantSettings } from '../db/schema';

/**
 * Console sign-in sessions, one row each (lib/db/schema/sessions.ts). The browser's cookie (next-auth's encrypted
 * JWT) names a row by its id and nothing else; every request checks the row here. Deleting a row ends the session on
 * every instance: the table's trigger NOTIFYs tsc_session_ended on commit (migration 0006), which drops the row from
 * each instance's cache below, and the cache's short TTL is the backstop while a listening connection is down.
 */
export const SESSION_ENDED_CHANNEL = 'tsc_session_ended';

/** Used when a tenant has no settings row (the column defaults of tenant_settings). */
export const DEFAULT_IDLE_MINUTES = 30;
export const DEFAULT_MAX_HOURS = 12;
/** last_seen_at is written at most this often per session (idle timeouts are minutes, so a minute is precise enough). */
export const TOUCH_INTERVAL_MS = 60_000;
/** How long an instance trusts its cached copy of a row without asking the database (deletes arrive over NOTIFY). */
export const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 50_000;

export type ActiveSession = {
  id: string;
  userId: string;
  tenantId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  amr: string[];
};

type Loaded = ActiveSession & { idleMinutes: number; maxHours: number };
type CacheEntry = { row: Loaded | null; fetchedAt: number };
type State = { cache: Map<string, CacheEntry>; listening?: Promise<void> };

// On globalThis: the console (Next's module graph) and the /identity fast path (server.ts's) share one cache.
const state = ((globalThis as Record<string, unknown>).__tscSessions ??= { cache: new Map() }) as State;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function remember(id: string, row: Loaded | null, now: number) {
  if (state.cache.size >= CACHE_MAX) state.cache.clear();
  state.cache.set(id, { row, fetchedAt: now });
}

/** Ended here or announced by the database: every later check of `id` on this instance is refused. */
function forget(id: string) {
  remember(id, null, Date.now());
}

/** Drop this instance's cached rows of a user (after a transaction that deleted them, e.g. a removed user). */
export function forgetUserSessions(userId: string) {
  for (const [id, entry] of state.cache) if (entry.row?.userId === userId) forget(id);
}

/**
 * Subscribe this process to the database's announcements (once per process; server.ts calls it at start, and the
 * first check without an explicit database does too). A failure leaves the cache TTL in charge.
 */
export function listenForEndedSessions(handle: DbHandle): Promise<void> {
  state.listening ??= (async () => {
    handle.onListenGap(() => state.cache.clear());
    await handle.listen(SESSION_ENDED_CHANNEL, (id) => forget(id));
  })().catch((err) => {
    console.error(`[auth] cannot listen on ${SESSION_ENDED_CHANNEL}: ${(err as Error).message}; relying on the cache TTL`);
    state.listening = undefined;
  });
  return state.listening;
}

/** The tenant's session limits (Security > Settings). */
export async function sessionPolicy(db: Db, tenantId: string): Promise<{ idleMinutes: number; maxHours: number }> {
  const [row] = await db
    .select({ idleMinutes: tenantSettings.sessionIdleMinutes, maxHours: tenantSettings.sessionMaxHours })
    .from(tenantSettings)
    .where(eq(tenantSettings.tenantId, tenantId));
  return row ?? { idleMinutes: DEFAULT_IDLE_MINUTES, maxHours: DEFAULT_MAX_HOURS };
}

async function load(db: Db, id: string): Promise<Loaded | null> {
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      tenantId: sessions.tenantId,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      amr: sessions.amr,
      idleMinutes: sql<number>`coalesce(${tenantSettings.sessionIdleMinutes}, ${DEFAULT_IDLE_MINUTES})`.mapWith(Number),
      maxHours: sql<number>`coalesce(${tenantSettings.sessionMaxHours}, ${DEFAULT_MAX_HOURS})`.mapWith(Number),
    })
    .from(sessions)
    .leftJoin(tenantSettings, eq(tenantSettings.tenantId, sessions.tenantId))
    .where(eq(sessions.id, id));
  return row ?? null;
}

export type EndReason = 'expired' | 'idle';

/** Why `row` is no longer valid at `now`, or null while it is. The tenant's current limits apply to existing sessions. */
export function sessionEndReason(
  row: Pick<Loaded, 'createdAt' | 'lastSeenAt' | 'expiresAt' | 'idleMinutes' | 'maxHours'>,
  now: number,
): EndReason | null {
  if (now >= row.expiresAt.getTime() || now >= row.createdAt.getTime() + row.maxHours * 3_600_000) return 'expired';
  if (now >= row.lastSeenAt.getTime() + row.idleMinutes * 60_000) return 'idle';
  return null;
}

function publicView(row: Loaded): ActiveSession {
  return {
    id: row.id,
    userId: row.userId,
    tenantId: row.tenantId,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
    amr: row.amr,
  };
}

/**
 * The session named by a cookie, if it is still valid: known, not past its absolute lifetime, not idle. An expired
 * or idle row is deleted (so every instance forgets it). Marks the session as seen, at most once a minute.
 */
export async function checkSession(
  id: unknown,
  opts: { db?: Db; nowMs?: number } = {},
): Promise<ActiveSession | null> {
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  const nowMs = opts.nowMs ?? Date.now();
  let db = opts.db;
  if (!db) {
    const handle = await getDbHandle();
    await listenForEndedSessions(handle);
    db = handle.db;
  }
  const cached = state.cache.get(id);
  let row: Loaded | null;
  let fresh = false;
  if (cached && Date.now() - cached.fetchedAt < CACHE_TTL_MS) {
    row = cached.row;
  } else {
    row = await load(db, id);
    fresh = true;
    remember(id, row, Date.now());
  }
  if (!row) return null;
  let reason = sessionEndReason(row, nowMs);
  if (reason === 'idle' && !fresh) {
    // Another instance may have seen this session more recently than our cached copy says.
    row = await load(db, id);
    remember(id, row, Date.now());
    if (!row) return null;
    reason = sessionEndReason(row, nowMs);
  }
  if (reason) {
    await endSession(db, id);
    console.info(`[auth] session ended: ${reason === 'idle' ? 'idle timeout' : 'absolute lifetime reached'}`);
    return null;
  }
  if (nowMs - row.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    const seen = new Date(nowMs);
    await db
      .update(sessions)
      .set({ lastSeenAt: seen })
      .where(and(eq(sessions.id, id), lt(sessions.lastSeenAt, seen)));
    row = { ...row, lastSeenAt: seen };
    remember(id, row, Date.now());
  }
  return publicView(row);
}

/** A new session for a user who has just proven who they are. Also clears that user's rows that have run out. */
export async function createSession(
  db: Db,
  input: { userId: string; tenantId: string; amr: string[]; ip?: string | null; userAgent?: string | null },
  nowMs = Date.now(),
): Promise<ActiveSession> {
  const policy = await sessionPolicy(db, input.tenantId);
  const now = new Date(nowMs);
  await db
    .delete(sessions)
    .where(
      and(
        eq(sessions.userId, input.userId),
        sql`(${sessions.expiresAt} <= ${now} or ${sessions.lastSeenAt} <= ${new Date(nowMs - policy.idleMinutes * 60_000)})`,
      ),
    );
  const [row] = await db
    .insert(sessions)
    .values({
      userId: input.userId,
      tenantId: input.tenantId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(nowMs + policy.maxHours * 3_600_000),
      ip: input.ip?.slice(0, 100) || null,
      userAgent: input.userAgent?.slice(0, 512) || null,
      amr: [...new Set(input.amr)],
    })
    .returning();
  const loaded: Loaded = { ...publicView({ ...row, ...policy }), ...policy };
  remember(row.id, loaded, Date.now());
  return publicView(loaded);
}

/** End one session (sign out). Returns whether it existed. */
export async function endSession(db: Db, id: string): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const deleted = await db.delete(sessions).where(eq(sessions.id, id)).returning({ id: sessions.id });
  forget(id);
  return deleted.length > 0;
}

/** End one of a user's own sessions ("Sign out" on a row of /account). Another user's session id does nothing. */
export async function endOwnSession(db: Db, userId: string, id: string): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.userId, userId)))
    .returning({ id: sessions.id });
  if (deleted.length > 0) forget(id);
  return deleted.length > 0;
}

/**
 * End every session of a user, except `keep` (the caller's own, for "Sign out everywhere else" and a password
 * change). Runs in the caller's transaction when given one; the ended ids are returned so the caller can
 * `forgetSessions` them after commit.
 */
export async function endUserSessions(db: Db, userId: string, keep?: string): Promise<string[]> {
  const where = keep && UUID.test(keep) ? and(eq(sessions.userId, userId), ne(sessions.id, keep)) : eq(sessions.userId, userId);
  const deleted = await db.delete(sessions).where(where).returning({ id: sessions.id });
  return deleted.map((d) => d.id);
}

/** After the transaction that ended them commits: this instance stops accepting them at once. */
export function forgetSessions(ids: string[]) {
  for (const id of ids) forget(id);
}

export type SessionListItem = {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  amr: string[];
};

/** A user's sessions that are still valid, most recently used first (for /account). */
export async function listUserSessions(db: Db, userId: string, nowMs = Date.now()): Promise<SessionListItem[]> {
  const rows = await db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
      amr: sessions.amr,
      idleMinutes: sql<number>`coalesce(${tenantSettings.sessionIdleMinutes}, ${DEFAULT_IDLE_MINUTES})`.mapWith(Number),
      maxHours: sql<number>`coalesce(${tenantSettings.sessionMaxHours}, ${DEFAULT_MAX_HOURS})`.mapWith(Number),
    })
    .from(sessions)
    .leftJoin(tenantSettings, eq(tenantSettings.tenantId, sessions.tenantId))
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.lastSeenAt));
  return rows
    .filter((r) => sessionEndReason(r, nowMs) === null)
    .map((r) => ({ id: r.id, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, expiresAt: r.expiresAt, ip: r.ip, userAgent: r.userAgent, amr: r.amr }));
}

/** How many valid sessions each of these users has (Security > Users). */
export async function activeSessionCounts(db: Db, tenantId: string, nowMs = Date.now()): Promise<Map<string, number>> {
  const rows = await db
    .select({
      userId: sessions.userId,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      idleMinutes: sql<number>`coalesce(${tenantSettings.sessionIdleMinutes}, ${DEFAULT_IDLE_MINUTES})`.mapWith(Number),
      maxHours: sql<number>`coalesce(${tenantSettings.sessionMaxHours}, ${DEFAULT_MAX_HOURS})`.mapWith(Number),
    })
    .from(sessions)
    .leftJoin(tenantSettings, eq(tenantSettings.tenantId, sessions.tenantId))
    .where(eq(sessions.tenantId, tenantId));
  const counts = new Map<string, number>();
  for (const r of rows) if (sessionEndReason(r, nowMs) === null) counts.set(r.userId, (counts.get(r.userId) ?? 0) + 1);
  return counts;
}

/** Tests: forget everything this process has cached. */
export function clearSessionCache() {
  state.cache.clear();
}
