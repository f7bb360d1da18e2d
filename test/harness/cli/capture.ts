import { PassThrough } from 'node:stream';
import { run } from '../../../harness/cli/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, the way `dist/cli.js` would run it. */
export async function runCli(argv: string[], untilSignal?: () => Promise<string>): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += String(chunk)));
  stderr.on('data', (chunk) => (err += String(chunk)));
  const code = await run(argv, { stdout, stderr, untilSignal });
  return { code, stdout: out, stderr: err };
}
