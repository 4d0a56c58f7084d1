import { isGuid } from '../clients/fields.schema';
import { channelView, createChannel, getChannel, listChannels, removeChannel, updateChannel, type ChannelView } from '../notifications/channels';
import { createChannelSchema, updateChannelSchema } from '../notifications/channels.schema';
import { smtpConfigured } from '../notifications/email';
import type { ApiCaller } from './authorize';
import { isPlainObject, readJsonBody } from './body';
import { apiError, failureResponse, json, noContent } from '../http/api-answers';
import type { ChannelBody } from './notification-schemas';
import { pageOf, readPaging, totalCount } from './paging';
import { validateWith } from './translate';

/**
 * The REST API's NotificationChannels operations: the same lib/notifications functions as Security > Notifications.
 * A webhook's signing secret is in the create answer only.
 */
type TenantParams = { tenantId: string };
type ChannelParams = TenantParams & { channelId: string };

export const CHANNEL_FIELDS: Record<string, string> = {
  kind: 'Type',
  name: 'Name',
  url: 'Url',
  emailAdmins: 'EmailTenantAdministrators',
  emailAddresses: 'EmailAddresses',
  eventTypes: 'EventTypes',
  enabled: 'Enabled',
};

const notFound = () => apiError(404, 'There is no notification channel with this id in this tenant.');

export function channelBody(c: ChannelView): ChannelBody {
  return {
    Id: c.id,
    Type: c.kind === 'email' ? 'Email' : 'Webhook',
    Name: c.name,
    Enabled: c.enabled,
    Url: c.url,
    SigningSecretHint: c.signingSecretHint,
    EmailTenantAdministrators: c.emailAdmins,
    EmailAddresses: c.emailAddresses,
    EventTypes: c.eventTypes,
    CreatedDate: c.createdAt.toISOString(),
    CreatedBy: c.createdBy,
    ModifiedDate: c.updatedAt.toISOString(),
    ModifiedBy: c.updatedBy,
  };
}

function channelInput(body: Record<string, unknown>) {
  return {
    name: body.Name,
    url: body.Url ?? undefined,
    emailAdmins: body.EmailTenantAdministrators ?? false,
    emailAddresses: body.EmailAddresses ?? [],
    eventTypes: body.EventTypes,
  };
}

async function readObject(request: Request): Promise<Record<string, unknown> | Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  if (!isPlainObject(body.value)) return apiError(400, 'The request body must be a JSON object.');
  return body.value;
}

export async function listChannelsOp(request: Request, caller: ApiCaller): Promise<Response> {
  const paging = readPaging(request);
  if (!paging.ok) return paging.response;
  const channels = await listChannels(caller.db, caller.actor.tenantId);
  return json(200, pageOf(channels, paging.page).map(channelBody), totalCount(channels.length));
}

export async function createChannelOp(request: Request, caller: ApiCaller, params: TenantParams): Promise<Response> {
  const body = await readObject(request);
  if (body instanceof Response) return body;
  const errors: Record<string, string> = {};
  const kind = body.Type === 'Email' ? 'email' : body.Type === 'Webhook' ? 'webhook' : undefined;
  if (!kind) errors.Type = 'Type must be Email or Webhook.';
  else if (kind === 'email' && !smtpConfigured()) errors.Type = 'Email is not configured on this server (SMTP_URL): use a Webhook.';
  const valid = validateWith(createChannelSchema, { kind, ...channelInput(body) }, CHANNEL_FIELDS, errors);
  if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });
  const created = await createChannel(caller.db, caller.actor, valid.value);
  if (!created.ok) return failureResponse(created, CHANNEL_FIELDS);
  return json(201, { ...channelBody(created.data.channel), SigningSecret: created.data.signingSecret }, {
    Location: `/api/v1/Tenants/${params.tenantId}/NotificationChannels/${created.data.channel.id}`,
  });
}

async function findChannel(caller: ApiCaller, channelId: string) {
  return isGuid(channelId) ? getChannel(caller.db, caller.actor.tenantId, channelId) : null;
}

export async function getChannelOp(_request: Request, caller: ApiCaller, params: ChannelParams): Promise<Response> {
  const channel = await findChannel(caller, params.channelId);
  return channel ? json(200, channelBody(channelView(channel))) : notFound();
}

export async function updateChannelOp(request: Request, caller: ApiCaller, params: ChannelParams): Promise<Response> {
  const channel = await findChannel(caller, params.channelId);
  if (!channel) return notFound();
  const body = await readObject(request);
  if (body instanceof Response) return body;
  const valid = validateWith(
    updateChannelSchema,
    { channelId: channel.id, kind: channel.kind, enabled: body.Enabled ?? true, ...channelInput(body) },
    CHANNEL_FIELDS,
  );
  if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });
  const updated = await updateChannel(caller.db, caller.actor, valid.value);
  if (!updated.ok) return failureResponse(updated, CHANNEL_FIELDS);
  return json(200, channelBody(updated.data.channel));
}

export async function deleteChannelOp(_request: Request, caller: ApiCaller, params: ChannelParams): Promise<Response> {
  const channel = await findChannel(caller, params.channelId);
  if (!channel) return notFound();
  const removed = await removeChannel(caller.db, caller.actor, { channelId: channel.id });
  return removed.ok ? noContent() : failureResponse(removed);
}
