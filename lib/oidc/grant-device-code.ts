import { pollDeviceAuthorization } from './device';
import { missingParameter } from '../tokens/oauth-error';
import { invalidGrant, type Exchange } from './user-grant';

/** grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 3.4): the device polls with its device code; see pollDeviceAuthorization for the answers. */
export const exchangeDeviceCode: Exchange = async (ctx, form, client, proof) => {
  const code = form.get('device_code');
  if (!code) return missingParameter('device_code');
  const poll = await pollDeviceAuthorization(ctx.db, client, code, ctx.now());
  if (!poll.ok) return poll;
  if (!(await ctx.userOfTenant(poll.userId, client.tenantId))) {
    return invalidGrant('The device code is invalid, was issued to another client, or was already used.');
  }
  return {
    ok: true,
    granted: {
      userId: poll.userId,
      scope: poll.scope,
      authTime: poll.authTime,
      nonce: null,
      familyId: poll.familyId,
      // RFC 9449 section 5: a public client's refresh tokens are bound to the key of its proof.
      dpopJkt: proof ? proof.jkt : null,
      resource: poll.resource,
    },
    refreshToken: poll.scope.split(' ').includes('offline_access'),
  };
};
