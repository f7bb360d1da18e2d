import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.ts';
import { formatReference, isLoopback, ociUrl, parseReference } from '../../../harness/oci/index.ts';

const DIGEST = 'sha256:' + 'a'.repeat(64);

describe('parseReference', () => {
  it.each([
    ['localhost:5000/team/fault:1.0', { registry: 'localhost:5000', repository: 'team/fault', tag: '1.0' }],
    ['ghcr.io/org/fault', { registry: 'ghcr.io', repository: 'org/fault', tag: 'latest' }],
    ['fault:2', { registry: 'docker.io', repository: 'library/fault', tag: '2' }],
    ['org/fault', { registry: 'docker.io', repository: 'org/fault', tag: 'latest' }],
    [`oci://reg.example.com:8443/a/b@${DIGEST}`, { registry: 'reg.example.com:8443', repository: 'a/b', digest: DIGEST }],
    [`127.0.0.1:1234/x:t@${DIGEST}`, { registry: '127.0.0.1:1234', repository: 'x', tag: 't', digest: DIGEST }],
  ])('parses %s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it.each([
    ['Upper/Case', /invalid repository/],
    ['reg.io/x@sha256:short', /digest/],
    ['reg.io/x:bad/tag!', /invalid/],
  ])('rejects %s', (input, message) => {
    expect(() => parseReference(input)).toThrow(ConfigError);
    expect(() => parseReference(input)).toThrow(message);
  });

  it('formats the oci:// URL a WasmPlugin uses', () => {
    expect(ociUrl(parseReference('localhost:5000/team/fault:1.0'), DIGEST)).toBe(`oci://localhost:5000/team/fault@${DIGEST}`);
    expect(formatReference(parseReference('localhost:5000/team/fault:1.0'))).toBe('localhost:5000/team/fault:1.0');
  });
});

describe('isLoopback', () => {
  it.each([
    ['localhost:5000', true],
    ['127.0.0.1:80', true],
    ['[::1]:5000', true],
    ['registry.example.com', false],
    ['10.0.0.1:5000', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
