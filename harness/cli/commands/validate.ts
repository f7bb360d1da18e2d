/** `asmesh validate <bootstrap>`: checks a bootstrap against Envoy's v3 API protos (like `envoy --mode validate`). */
import type { Command } from 'commander';
import { readDataPlaneConfig } from '../../dataplane/config.ts';
import { loadBootstrapFile } from '../../envoy/validate.ts';
import { writeLine, type CliIO } from '../io.ts';

export function register(program: Command, io: CliIO): void {
  program
    .command('validate')
    .description("check an Envoy v3 bootstrap (YAML or JSON) against Envoy's API protos: unknown fields, wrong types, bad @type URLs")
    .argument('<bootstrap>', 'bootstrap file (YAML or JSON)')
    .option('--emulator', 'also check that the emulated data plane supports every field')
    .action(async (file: string, options: { emulator?: boolean }) => {
      const validated = await loadBootstrapFile(file);
      const resources = (validated.bootstrap.static_resources ?? {}) as { listeners?: unknown[]; clusters?: unknown[] };
      writeLine(io.stdout, `${file}: valid envoy.config.bootstrap.v3.Bootstrap (${resources.listeners?.length ?? 0} listener(s), ${resources.clusters?.length ?? 0} cluster(s))`);
      if (options.emulator) {
        readDataPlaneConfig(validated.bootstrap, file);
        writeLine(io.stdout, `${file}: supported by the emulated data plane`);
      }
    });
}
