import { DAY_MS, EXPIRING_SOON_DAYS } from './limits';

export type SecretStatus = 'active' | 'expiring' | 'expired';

/** Active, Expiring soon (within 30 days) or Expired; a never-expiring secret (null) is Active. */
export function secretStatus(expiresAt: Date | string | null, now: number = Date.now()): SecretStatus {
  if (expiresAt === null) return 'active';
  const t = new Date(expiresAt).getTime();
  if (t <= now) return 'expired';
  if (t - now <= EXPIRING_SOON_DAYS * DAY_MS) return 'expiring';
  return 'active';
}

export const SECRET_STATUS_LABEL: Record<SecretStatus, string> = {
  active: 'Active',
  expiring: 'Expiring soon',
  expired: 'Expired',
};
