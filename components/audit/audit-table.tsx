import { Link } from '@/components/ui/link';
import type { AuditRow } from '@/lib/audit/queries';
import { LocalTime } from '@/components/ui/local-time';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import { ACTION_LABELS, auditChangeLines } from './audit-summary';

/** Audit events: when, who, what, which client, what changed. */
export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <Table aria-label="Audit events">
      <THead>
        <tr>
          <Th>When</Th>
          <Th>Who</Th>
          <Th>What</Th>
          <Th>Client</Th>
          <Th>Changes</Th>
        </tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <Tr key={r.id}>
            <Td className="whitespace-nowrap text-slate-700">
              <LocalTime value={r.createdAt} />
            </Td>
            <Td className="text-slate-700">
              <div className="whitespace-nowrap">{r.actor}</div>
              {r.details.via === 'api' && <div className="text-xs text-slate-500">via the API</div>}
            </Td>
            <Td className="whitespace-nowrap font-medium">{ACTION_LABELS[r.action] ?? r.action}</Td>
            <Td className="max-w-64 min-w-48">
              {r.targetType === 'client' && r.targetId ? (
                <>
                  {r.targetExists ? (
                    <Link href={`/security/clients/${r.targetId}`} className="break-words text-brand-700 hover:underline">
                      {r.targetName ?? r.targetId}
                    </Link>
                  ) : (
                    <span className="break-words">
                      {r.targetName ?? r.targetId} <span className="text-xs text-slate-500">(removed)</span>
                    </span>
                  )}
                  <div className="font-mono text-xs text-slate-500">{r.targetId}</div>
                </>
              ) : (
                <span className="text-slate-600">
                  {r.targetType}
                  {r.targetId ? ` ${r.targetId}` : ''}
                </span>
              )}
            </Td>
            {/* A width of its own, so on a phone the table scrolls sideways instead of squeezing the changes into a tall column. */}
            <Td className="min-w-72 text-slate-700">
              <ul className="space-y-0.5">
                {auditChangeLines(r).map((line, i) => (
                  <li key={i} className="break-words">
                    {line}
                  </li>
                ))}
              </ul>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
