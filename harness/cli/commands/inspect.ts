import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ConfigError } from '../../errors.ts';
import { checkModule, type ModuleCheck } from '../../host/abi/offered.ts';
import { CommandFailed, writeLine, type CliIO } from '../io.ts';

export function register(program: Command, io: CliIO): void {
  program
    .command('inspect')
    .description("print a module's proxy-wasm ABI version, imports and exports, and whether Envoy would load it")
    .argument('<module.wasm>', 'a compiled proxy-wasm module (any SDK)')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExit status: 0 when Envoy would load the module, 1 when it would refuse it, 2 on bad input.')
    .action(async (path: string, options: { json?: boolean }) => {
      const report = checkModule(await readModule(path));
      if (options.json) writeLine(io.stdout, JSON.stringify({ path, loads: report.problems.length === 0, ...report }, null, 2));
      else printReport(path, report, io);
      if (report.problems.length > 0) throw new CommandFailed(1);
    });
}

async function readModule(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, undefined, { cause: error });
  }
}

function printReport(path: string, report: ModuleCheck, io: CliIO): void {
  writeLine(io.stdout, `module: ${path}`);
  writeLine(io.stdout, `abi:    ${report.abi ?? 'none (no proxy_abi_version_* export)'}`);
  writeLine(io.stdout, `imports (${report.imports.length}):`);
  for (const i of report.imports) writeLine(io.stdout, `  ${i.module}.${i.name}${i.signature ? ` ${i.signature}` : ` (${i.kind})`}`);
  writeLine(io.stdout, `exports (${report.exports.length}):`);
  for (const e of report.exports) writeLine(io.stdout, `  ${e.name}${e.signature ? ` ${e.signature}` : ` (${e.kind})`}`);
  for (const note of report.notes) writeLine(io.stdout, `note: ${note}`);
  if (report.problems.length === 0) {
    writeLine(io.stdout, 'envoy:  would load this module');
    return;
  }
  writeLine(io.stdout, 'envoy:  would REFUSE this module:');
  for (const problem of report.problems) writeLine(io.stdout, `  - ${problem}`);
}
