import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, LIB, sourceFiles, targetFolder } from '../testing/imports';

/**
 * The identity authority in layers (issue 23): lib/tokens at the bottom (client authentication, signing keys, tokens,
 * introspection, revocation), lib/oidc above it (user sign-in, codes, refresh tokens, device flow), lib/identity on
 * top (the /identity HTTP layer). No module imports a layer above its own; tests and test helpers may.
 */
const LAYERS = ['tokens', 'oidc', 'identity'] as const;

describe('identity layers', () => {
  for (const [level, layer] of LAYERS.entries()) {
    const above = LAYERS.slice(level + 1);
    it(`lib/${layer} imports nothing from ${above.length ? above.map((a) => `lib/${a}`).join(' or ') : 'app/'}`, () => {
      const files = sourceFiles(path.join(LIB, layer));
      expect(files.length).toBeGreaterThan(0);
      const upward = files.flatMap((file) =>
        importsOf(file)
          .filter((spec) => {
            const folder = targetFolder(file, spec);
            return folder !== null && ((above as readonly string[]).includes(folder) || folder === '(outside lib)');
          })
          .map((spec) => `${path.relative(LIB, file)} imports ${spec}`),
      );
      expect(upward).toEqual([]);
    });
  }

  it('keeps the token service below its endpoints: token-service.ts and client-auth.ts import no grant, introspection or revocation module', () => {
    const endpoints = ['./grant', './grant-client-credentials', './introspect', './revoke'];
    const core = ['token-service.ts', 'client-auth.ts'].flatMap((name) =>
      importsOf(path.join(LIB, 'tokens', name))
        .filter((spec) => endpoints.includes(spec))
        .map((spec) => `${name} imports ${spec}`),
    );
    expect(core).toEqual([]);
    // The check reads the endpoint modules' own imports too, so it would see one.
    expect(importsOf(path.join(LIB, 'tokens', 'grant-client-credentials.ts'))).toContain('./token-service');
  });

  it('would notice an upward import (the check itself works)', () => {
    expect(targetFolder(path.join(LIB, 'tokens', 'x.ts'), '../oidc/grant-store')).toBe('oidc');
    expect(targetFolder(path.join(LIB, 'tokens', 'http', 'x.ts'), '../../identity/http')).toBe('identity');
    expect(targetFolder(path.join(LIB, 'tokens', 'x.ts'), '@/lib/oidc/tokens')).toBe('oidc');
    expect(targetFolder(path.join(LIB, 'tokens', 'x.ts'), 'node:crypto')).toBeNull();
    expect(importsOf(path.join(LIB, 'identity', 'http.ts'))).toContain('../oidc/http');
  });
});
