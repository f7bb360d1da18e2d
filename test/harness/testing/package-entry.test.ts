import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..', '..');

describe('the asmesh/testing package entry', () => {
  it('loads with plain Node (no TypeScript loader) and drives a built filter', async () => {
    const script = `
      const { createTestHost } = await import('asmesh/testing');
      const env = await createTestHost({ wasm: 'dist/filters/empty.wasm', name: 'empty' });
      const stream = env.openStream();
      stream.sendRequestHeaders({ ':method': 'GET', ':path': '/', ':authority': 'a' }, { endStream: true });
      console.log(JSON.stringify({ upstream: stream.upstreamRequest !== null }));
      env.dispose();`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    expect(JSON.parse(stdout.trim())).toEqual({ upstream: true });
  });
});
