/** Runs asmesh CLI commands in-process with captured output (the program from harness/cli/main.ts plus the ship commands). */
import { PassThrough } from 'node:stream';
import { createProgram } from '../../../harness/cli/main.ts';
import { register as registerManifest } from '../../../harness/cli/commands/manifest.ts';
import { register as registerPackage } from '../../../harness/cli/commands/package.ts';
import { register as registerPull } from '../../../harness/cli/commands/pull.ts';
import { register as registerPush } from '../../../harness/cli/commands/push.ts';

export interface CliOutcome {
  stdout: string;
  stderr: string;
  error?: unknown;
}

const SHIP_COMMANDS = { package: registerPackage, push: registerPush, pull: registerPull, manifest: registerManifest };

export async function runShipCommand(args: string[]): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  err.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const io = { stdout: out, stderr: err };
  const program = createProgram(io);
  for (const [name, register] of Object.entries(SHIP_COMMANDS)) {
    if (!program.commands.some((c) => c.name() === name)) register(program, io);
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return { stdout, stderr };
  } catch (error) {
    return { stdout, stderr, error };
  }
}
