import { createChannelOp, deleteChannelOp, getChannelOp, listChannelsOp, updateChannelOp } from './notification-handlers';
import { channelCreatedResponse, channelCreateRequest, channelResponse, channelUpdateRequest } from './notification-schemas';
import type { OperationSpec } from './operation-spec';

const CHANNELS = '/api/v1/Tenants/{tenantId}/NotificationChannels';
const NOT_FOUND = { status: 404, description: 'No such channel in this tenant (ids of other tenants alike).' } as const;
const BODY_ERRORS = [
  { status: 413, description: 'The body is larger than 32 KiB.' },
  { status: 415, description: 'The body is not application/json.' },
] as const;

/** The NotificationChannels operations (Security > Notifications), listed in the contract (lib/api/contract.ts). */
export const NOTIFICATION_OPERATIONS: OperationSpec[] = [
  {
    method: 'get',
    path: CHANNELS,
    operationId: 'listNotificationChannels',
    handler: listChannelsOp,
    tag: 'NotificationChannels',
    summary: 'List notification channels',
    description: 'The tenant\'s email and webhook channels, oldest first. The total is in the Total-Count header.',
    paging: true,
    success: { status: 200, schema: channelResponse, array: true, description: 'The channels on this page.' },
    errors: [{ status: 400, description: 'skip or count is invalid.' }],
  },
  {
    method: 'post',
    path: CHANNELS,
    operationId: 'createNotificationChannel',
    handler: createChannelOp,
    tag: 'NotificationChannels',
    summary: 'Add a notification channel',
    description:
      'Adds an email channel (needs SMTP on the server) or a webhook channel (https; Standard Webhooks signatures). ' +
      'A webhook\'s signing secret is in the answer only: store it now.',
    request: channelCreateRequest,
    example: { Type: 'Webhook', Name: 'On-call pager', Url: 'https://hooks.example.com/tenant-console', EventTypes: ['secret.expiring', 'secret.expired'] },
    success: { status: 201, schema: channelCreatedResponse, description: 'The channel and, for a webhook, its one-time signing secret.' },
    errors: [{ status: 400, description: 'Invalid fields, email without SMTP, or the tenant has 20 channels.' }, ...BODY_ERRORS],
  },
  {
    method: 'get',
    path: `${CHANNELS}/{channelId}`,
    operationId: 'getNotificationChannel',
    handler: getChannelOp,
    tag: 'NotificationChannels',
    summary: 'Get a notification channel',
    description: 'One channel. Never its signing secret.',
    success: { status: 200, schema: channelResponse, description: 'The channel.' },
    errors: [NOT_FOUND],
  },
  {
    method: 'put',
    path: `${CHANNELS}/{channelId}`,
    operationId: 'updateNotificationChannel',
    handler: updateChannelOp,
    tag: 'NotificationChannels',
    summary: 'Change a notification channel',
    description: 'Replaces name, destination, events and Enabled. The type and the signing secret stay.',
    request: channelUpdateRequest,
    example: { Name: 'On-call pager', Url: 'https://hooks.example.com/tenant-console', EventTypes: ['secret.expiring'], Enabled: true },
    success: { status: 200, schema: channelResponse, description: 'The channel as stored.' },
    errors: [{ status: 400, description: 'Invalid fields.' }, NOT_FOUND, ...BODY_ERRORS],
  },
  {
    method: 'delete',
    path: `${CHANNELS}/{channelId}`,
    operationId: 'deleteNotificationChannel',
    handler: deleteChannelOp,
    tag: 'NotificationChannels',
    summary: 'Remove a notification channel',
    description: 'Removes the channel and its delivery log; pending retries to it stop.',
    success: { status: 204, description: 'Removed.' },
    errors: [NOT_FOUND],
  },
];
