import type { Command } from 'commander';
import { CompileError, formatDiagnostic } from '../../build/asc.ts';
import { bundleCli, bundleTestingApi } from '../../build/bundle.ts';
import { BuildError, buildFilters, type FilterBuild } from '../../build/filters.ts';
import { CommandFailed, writeLine, type CliIO } from '../io.ts';

export function register(program: Command, io: CliIO): void {
  program
    .command('build')
    .description('compile every filters/<name>/index.ts to dist/filters/<name>.wasm (+ debug build) and bundle the CLI; skips what is up to date')
    .option('--only <names>', 'comma-separated filter names to build', (value: string) => value.split(',').filter(Boolean))
    .option('--force', 'rebuild even when nothing changed')
    .option('--no-cli', 'do not bundle dist/cli.js and dist/testing.js')
    .addHelpText('after', '\nFails (exit 1) with file:line:col on a compiler error, and when a module imports anything Envoy does not offer for its ABI.')
    .action(async (options: { only?: string[]; force?: boolean; cli: boolean }) => {
      let failed = false;
      try {
        for (const result of await buildFilters({ only: options.only, force: options.force })) writeLine(io.stdout, describeBuild(result));
      } catch (error) {
        if (!(error instanceof BuildError)) throw error;
        for (const result of error.results) writeLine(io.stdout, describeBuild(result));
        for (const failure of error.failures) writeLine(io.stderr, `${failure.name.padEnd(12)} FAILED\n${describeFailure(failure.error)}`);
        failed = true;
      }
      if (options.cli) {
        for (const [name, result] of [['cli.js', await bundleCli()], ['testing.js', await bundleTestingApi()]] as const) {
          writeLine(io.stdout, `${name.padEnd(12)} ${String(result.bytes).padStart(8)} B  ${result.ms} ms`);
        }
      }
      if (failed) throw new CommandFailed(1);
    });
}

function describeBuild(result: FilterBuild): string {
  return `${result.name.padEnd(12)} ${String(result.bytes).padStart(8)} B  ${result.cached ? 'up to date' : `${result.ms} ms`}`;
}

function describeFailure(error: Error): string {
  if (error instanceof CompileError && error.diagnostics.some((d) => d.category === 'ERROR')) {
    return error.diagnostics.filter((d) => d.category === 'ERROR').map(formatDiagnostic).join('\n');
  }
  return error.message;
}
