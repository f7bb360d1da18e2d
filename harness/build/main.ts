/**
 * `npm run build`: compile every filter and bundle the CLI. Flags: `--force` (ignore stamps),
 * `--only a,b` (these filters), `--no-cli` (skip the bundle). Prints one line per filter; on a compiler
 * error prints `file:line:col: message` and exits non-zero.
 */
import { buildFilters, BuildError, type FilterBuild } from './filters.ts';
import { bundleCli } from './bundle.ts';
import { CompileError, formatDiagnostic } from './asc.ts';

function parseArgs(argv: string[]): { force: boolean; only: string[]; cli: boolean } {
  const out = { force: false, only: [] as string[], cli: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--force') out.force = true;
    else if (a === '--no-cli') out.cli = false;
    else if (a === '--only') out.only.push(...(argv[++i] ?? '').split(',').filter(Boolean));
    else if (a.startsWith('--only=')) out.only.push(...a.slice(7).split(',').filter(Boolean));
    else throw new Error(`unknown argument: ${a} (expected --force, --only <names>, --no-cli)`);
  }
  return out;
}

function line(b: FilterBuild): string {
  return `${b.name.padEnd(12)} ${String(b.bytes).padStart(8)} B  ${b.cached ? 'cached' : `${b.ms} ms`}`;
}

function describe(error: Error): string {
  if (error instanceof CompileError && error.diagnostics.some((d) => d.category === 'ERROR')) {
    return error.diagnostics.filter((d) => d.category === 'ERROR').map(formatDiagnostic).join('\n');
  }
  return error.message;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  let code = 0;
  try {
    const results = await buildFilters({ only: args.only, force: args.force });
    for (const r of results) process.stdout.write(`${line(r)}\n`);
    if (results.length === 0) process.stdout.write('no filters found under filters/\n');
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    for (const r of error.results) process.stdout.write(`${line(r)}\n`);
    for (const f of error.failures) process.stderr.write(`${f.name.padEnd(12)} FAILED\n${describe(f.error)}\n`);
    code = 1;
  }
  if (args.cli) {
    const cli = await bundleCli();
    process.stdout.write(`${'cli.js'.padEnd(12)} ${String(cli.bytes).padStart(8)} B  ${cli.ms} ms\n`);
  }
  return code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`build: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
