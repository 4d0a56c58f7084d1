/**
 * Databases of their own beside the PostgreSQL database a URL names (e2e servers, second instances, isolated
 * token-service tests, benches): one way to make and drop them.
 */

/** The database `<base name>_<suffix>` on the server of `baseUrl`, dropped first if a crashed run left it. */
export async function freshDatabase(baseUrl: string, suffix: string): Promise<{ url: string; name: string }> {
  const { Client } = await import('pg');
  const u = new URL(baseUrl);
  const name = `${u.pathname.slice(1) || 'postgres'}_${suffix}`.replace(/[^a-zA-Z0-9_]/g, '_');
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  u.pathname = `/${name}`;
  return { url: u.toString(), name };
}

/** Drop a database made by freshDatabase (connections to it are ended). */
export async function dropDatabase(baseUrl: string, name: string) {
  const { Client } = await import('pg');
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}
