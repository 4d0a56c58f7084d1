'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { createChannelAction, updateChannelAction } from '@/app/(console)/security/notifications/actions';
import { applyActionResult } from '@/components/forms/action-result';
import { FormAlert } from '@/components/roles/form-alert';
import { FormSheet } from '@/components/forms/form-pane';
import { Textarea } from '@/components/ui/textarea';
import { Checkbox } from '@/components/ui/checkbox';
import { Field, Input } from '@/components/ui/field';
import type { ChannelView } from '@/lib/notifications/channels';
import { createChannelSchema, updateChannelSchema } from '@/lib/notifications/channels.schema';
import { EVENT_TYPES } from '@/lib/notifications/events';

type FormValues = {
  channelId?: string;
  kind: 'email' | 'webhook';
  name: string;
  enabled: boolean;
  url: string;
  emailAdmins: boolean;
  emailAddresses: string;
  eventTypes: string[];
};
const FIELDS = ['kind', 'name', 'url', 'emailAdmins', 'emailAddresses', 'eventTypes', 'enabled'] as const;

function initial(channel: ChannelView | null, emailAvailable: boolean): FormValues {
  if (!channel) {
    return { kind: emailAvailable ? 'email' : 'webhook', name: '', enabled: true, url: '', emailAdmins: true, emailAddresses: '', eventTypes: ['secret.expiring', 'secret.expired'] };
  }
  return {
    channelId: channel.id,
    kind: channel.kind,
    name: channel.name,
    enabled: channel.enabled,
    url: channel.url ?? '',
    emailAdmins: channel.emailAdmins,
    emailAddresses: channel.emailAddresses.join('\n'),
    eventTypes: channel.eventTypes,
  };
}

/**
 * Add Channel / Edit Channel: where alerts go (email to Tenant Administrators and/or addresses, or a webhook URL) and
 * which events. A new webhook's signing secret is handed to `onCreated` to be shown once.
 */
export function ChannelSheet({
  open,
  channel,
  emailAvailable,
  onClose,
  onDone,
  onCreated,
}: {
  open: boolean;
  /** null: Add Channel. */
  channel: ChannelView | null;
  emailAvailable: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
  onCreated: (created: { name: string; signingSecret: string }) => void;
}) {
  const editing = channel !== null;
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<FormValues>({
    // One schema per operation, the same the server action parses with.
    resolver: zodResolver((editing ? updateChannelSchema : createChannelSchema) as never) as never,
    defaultValues: initial(channel, emailAvailable),
  });
  useEffect(() => {
    if (open) form.reset(initial(channel, emailAvailable));
  }, [open, channel, emailAvailable, form]);
  const kind = useWatch({ control: form.control, name: 'kind' });
  const close = () => {
    setFormError(null);
    onClose();
  };
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = editing ? await updateChannelAction(values) : await createChannelAction(values);
    if (!result.ok) return void applyActionResult(result, form.setError, setFormError, FIELDS);
    close();
    const name: string = result.data.channel.name;
    const signingSecret = 'signingSecret' in result.data ? (result.data.signingSecret as string | null) : null;
    if (signingSecret) onCreated({ name, signingSecret });
    else onDone(editing ? `Channel "${name}" saved.` : `Channel "${name}" added.`);
  });
  const errors = form.formState.errors;
  const formId = editing ? 'edit-channel-form' : 'add-channel-form';
  return (
    <FormSheet
      open={open}
      onClose={close}
      title={editing ? 'Edit Channel' : 'Add Channel'}
      description="Where this tenant's alerts go, and which events. Messages name clients and secret hints, never a secret."
      formId={formId}
      dirty={form.formState.isDirty}
      submitting={form.formState.isSubmitting}
    >
      <form method="post" id={formId} aria-label={editing ? 'Edit Channel' : 'Add Channel'} noValidate onSubmit={onSubmit} className="space-y-5">
        <FormAlert message={formError} />
        {!editing && (
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-800">Type</legend>
            <div className="flex flex-wrap gap-4">
              {(['email', 'webhook'] as const).map((k) => (
                <label key={k} className="flex items-center gap-2 text-sm">
                  <input type="radio" value={k} disabled={k === 'email' && !emailAvailable} {...form.register('kind')} className="h-4 w-4 accent-brand-600" />
                  {k === 'email' ? 'Email' : 'Webhook'}
                </label>
              ))}
            </div>
            {!emailAvailable && <p className="text-xs text-slate-600">Email is not configured on this server (SMTP_URL), so only webhooks can be added.</p>}
          </fieldset>
        )}
        <Field label="Name" error={errors.name?.message} hint="How the delivery log names this channel.">
          {(p) => <Input {...p} autoComplete="off" autoFocus {...form.register('name')} />}
        </Field>
        {kind === 'webhook' ? (
          <Field
            label="Webhook URL"
            error={errors.url?.message}
            hint="https only. Each message is signed (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature)."
          >
            {(p) => <Input {...p} type="url" inputMode="url" autoComplete="off" placeholder="https://hooks.example.com/tenant-console" {...form.register('url')} />}
          </Field>
        ) : (
          <div className="space-y-3">
            <Controller
              control={form.control}
              name="emailAdmins"
              render={({ field }) => (
                <Checkbox label="Tenant Administrators" description="Every user with the Tenant Administrator role, at the time of sending." checked={field.value} onCheckedChange={field.onChange} />
              )}
            />
            <Field label="Email Addresses" error={errors.emailAddresses?.message} hint="Optional. One a line, at most 20.">
              {(p) => <Textarea {...p} autoComplete="off" {...form.register('emailAddresses')} />}
            </Field>
          </div>
        )}
        <fieldset className="space-y-2" aria-describedby={errors.eventTypes ? 'channel-events-error' : undefined}>
          <legend className="text-sm font-medium text-slate-800">Events</legend>
          <Controller
            control={form.control}
            name="eventTypes"
            render={({ field }) => (
              <div className="space-y-2">
                {EVENT_TYPES.map((e) => (
                  <Checkbox
                    key={e.type}
                    label={e.label}
                    description={e.description}
                    checked={field.value.includes(e.type)}
                    onCheckedChange={(on) => field.onChange(on ? [...field.value, e.type] : field.value.filter((v) => v !== e.type))}
                  />
                ))}
              </div>
            )}
          />
          {errors.eventTypes && (
            <p id="channel-events-error" className="text-sm text-red-700">
              {errors.eventTypes.message ?? 'Choose the events to send.'}
            </p>
          )}
        </fieldset>
        {editing && (
          <Controller
            control={form.control}
            name="enabled"
            render={({ field }) => (
              <Checkbox label="Enabled" description="A disabled channel gets no messages." checked={field.value} onCheckedChange={field.onChange} />
            )}
          />
        )}
      </form>
    </FormSheet>
  );
}
