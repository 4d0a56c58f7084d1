import { describe, expect, it } from 'vitest';
import { CLAIM_NAME_MESSAGE, CLAIM_PATH_MESSAGE, claimNameProblem, RESERVED_CLAIM_MESSAGE } from './federated-credential.schema';

describe('a condition\'s claim: a top-level name or a JSON Pointer to a nested claim', () => {
  it('takes top-level names and paths to nested claims', () => {
    for (const ok of ['repository', 'job_workflow_ref', 'kubernetes.io', 'https://acme.example/groups', '/kubernetes.io/namespace', '/kubernetes.io/serviceaccount/name', '/a~1b/c~0d', '/groups/0', '/ref']) {
      expect(claimNameProblem(ok), ok).toBeNull();
    }
  });

  it('refuses malformed paths with a message saying how to write one', () => {
    for (const bad of ['/', '//x', '/kubernetes.io/', '/a/~2', '/a~', '/a b', `/${'a/'.repeat(10)}a`, `/${'a'.repeat(200)}`]) {
      expect(claimNameProblem(bad), bad).toBe(CLAIM_PATH_MESSAGE);
    }
    for (const bad of ['bad name!', 'a~b', 'é', 'x'.repeat(101)]) expect(claimNameProblem(bad), bad).toBe(CLAIM_NAME_MESSAGE);
  });

  it('refuses the claims the credential checks itself, by name or by a one-step path', () => {
    for (const reserved of ['sub', 'aud', '/iss', '/exp', '/jti']) expect(claimNameProblem(reserved), reserved).toBe(RESERVED_CLAIM_MESSAGE);
    expect(claimNameProblem('/sub/x')).toBeNull();
  });
});
