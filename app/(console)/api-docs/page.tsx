import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { ApiReference } from '@/components/api-docs/api-reference';
import { publicOrigin } from '@/lib/http/public-origin';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { requireSignedInPage } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'API Reference' };

/** The REST API's OpenAPI document, rendered for reading, with this console's base URL and the user's tenant filled in. */
export default async function ApiDocsPage() {
  const user = await requireSignedInPage('/api-docs');
  const h = await headers();
  const baseUrl = publicOrigin(h, `http://${h.get('host') ?? 'localhost'}`);
  const doc = buildOpenApiDocument({ serverUrl: baseUrl });
  return (
    <section className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">API Reference</h1>
        <p className="mt-1 text-sm text-slate-700">
          {doc.info.title}, version {doc.info.version}. Your tenant id: <code className="font-mono break-all">{user.tenantId}</code>
        </p>
      </div>
      <ApiReference doc={doc} baseUrl={baseUrl} tenantId={user.tenantId} />
    </section>
  );
}
