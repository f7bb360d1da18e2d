import type { Command } from 'commander';
import { scaffoldFilter } from '../../scaffold/new-filter.ts';
import { writeLine, type CliIO } from '../io.ts';

export function register(program: Command, io: CliIO): void {
  program
    .command('new')
    .description('scaffold filters/<name>/ (config schema, RootContext/Context on the SDK layer) and a passing emulator test')
    .argument('<name>', 'filter name: lower-case letters, digits and "-"; also the root_id')
    .option('-C, --dir <project>', 'project root (default: the current directory)')
    .action(async (name: string, options: { dir?: string }) => {
      const result = await scaffoldFilter(options.dir ?? process.cwd(), name);
      for (const file of result.files) writeLine(io.stdout, `created ${file}`);
      writeLine(io.stdout, '');
      writeLine(io.stdout, `next: npm run build && npx vitest run test/filters/${result.name}`);
    });
}
