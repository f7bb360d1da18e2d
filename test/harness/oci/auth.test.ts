import { describe, expect, it } from 'vitest';
import { basicAuthorization, parseChallenges } from '../../../harness/oci/auth.ts';

describe('parseChallenges', () => {
  it('reads a Docker bearer challenge with quoted parameters', () => {
    const header = 'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:team/fault:pull,push"';
    expect(parseChallenges(header)).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:team/fault:pull,push' } },
    ]);
  });

  it('reads a basic challenge', () => {
    expect(parseChallenges('Basic realm="asmesh-test"')).toEqual([{ scheme: 'basic', params: { realm: 'asmesh-test' } }]);
  });

  it('returns nothing for a missing header', () => {
    expect(parseChallenges(undefined)).toEqual([]);
  });
});

describe('basicAuthorization', () => {
  it('encodes user:password in base64', () => {
    expect(basicAuthorization('user', 'p:ss')).toBe('Basic ' + Buffer.from('user:p:ss').toString('base64'));
  });
});
