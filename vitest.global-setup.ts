import { makePgliteTemplate } from './lib/testing/pglite-template';

/** Once per run: a migrated PGlite dumped to a file, so every test file skips initdb and the migrations. */
export default async function setup() {
  return await makePgliteTemplate();
}
