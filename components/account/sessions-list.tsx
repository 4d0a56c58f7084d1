'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { endOtherSessionsAction, endSessionAction } from '@/app/(console)/account/actions';
import { Button } from '@/components/ui/button';
import { LocalTime } from '@/components/ui/local-time';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';

export type SessionView = {
  id: string;
  browser: string;
  userAgent: string | null;
  ip: string | null;
  methods: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
};

/** /account: where the user is signed in, with "Sign out" for each other session and "Sign out everywhere else". */
export function SessionsList({ sessions }: { sessions: SessionView[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const others = sessions.filter((s) => !s.current).length;

  async function run(key: string, call: () => Promise<{ ok: boolean; formError?: string }>, success: string) {
    setBusy(key);
    setMessage(null);
    try {
      const result = await call();
      setMessage(result.ok ? { text: success } : { text: result.formError ?? 'That did not work. Try again.', error: true });
      router.refresh();
    } catch {
      setMessage({ text: 'The server could not be reached. Try again.', error: true });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="sessions-title" className="mt-10">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="sessions-title" className="text-lg font-semibold">
            Sessions
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            Where you are signed in. Sign out of any session you do not recognise, and change your password.
          </p>
        </div>
        <Button
          variant="secondary"
          disabled={others === 0 || busy !== null}
          onClick={() => void run('others', () => endOtherSessionsAction({}), others === 1 ? 'Signed out of 1 other session.' : `Signed out of ${others} other sessions.`)}
        >
          {busy === 'others' ? 'Signing out…' : 'Sign out everywhere else'}
        </Button>
      </div>
      <div role="status" aria-live="polite" className={message ? 'mt-3' : 'sr-only'}>
        {message && (
          <p className={`rounded-md border px-3 py-2 text-sm ${message.error ? 'border-red-200 bg-red-50 text-red-800' : 'border-emerald-200 bg-emerald-50 text-emerald-900'}`}>
            {message.text}
          </p>
        )}
      </div>
      <div className="mt-4">
        <Table aria-label="Sessions">
          <THead>
            <Tr>
              <Th>Browser</Th>
              <Th>Address</Th>
              <Th>Signed in</Th>
              <Th>Last active</Th>
              <Th>Method</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </Tr>
          </THead>
          <TBody>
            {sessions.map((s) => (
              <Tr key={s.id}>
                <Td className="whitespace-nowrap">
                  <span title={s.userAgent ?? undefined}>{s.browser}</span>
                  {s.current && (
                    <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 text-xs font-medium text-brand-900">This browser</span>
                  )}
                </Td>
                <Td className="font-mono text-xs whitespace-nowrap">{s.ip ?? 'Unknown'}</Td>
                <Td className="whitespace-nowrap">
                  <LocalTime value={s.createdAt} />
                </Td>
                <Td className="whitespace-nowrap">
                  <LocalTime value={s.lastSeenAt} />
                </Td>
                <Td className="whitespace-nowrap">{s.methods}</Td>
                <Td className="text-right whitespace-nowrap">
                  {!s.current && (
                    <Button
                      size="sm"
                      variant="ghost-danger"
                      disabled={busy !== null}
                      aria-label={`Sign out ${s.browser}${s.ip ? ` at ${s.ip}` : ''}`}
                      onClick={() => void run(s.id, () => endSessionAction({ sessionId: s.id }), `Signed out ${s.browser}.`)}
                    >
                      Sign out
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </div>
    </section>
  );
}
