'use client';

import { useState } from 'react';

/** The outcome of the last action ("Role "X" added."), announced politely to screen readers. */
export function useNotice() {
  const [message, setMessage] = useState<string | null>(null);
  const node = (
    <div role="status" aria-live="polite" className={message ? 'mt-4' : 'sr-only'}>
      {message && (
        <div className="flex items-start justify-between gap-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          <span>{message}</span>
          <button type="button" className="text-emerald-800 underline" onClick={() => setMessage(null)}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
  return { notice: node, setNotice: setMessage };
}
