import { Command, CommanderError } from 'commander';
import { ConfigError, EnvoyExitError, PluginLoadError, PushError } from '../errors.ts';
import { CommandFailed, writeLine, type CliIO } from './io.ts';
import { commandModules } from './commands/index.ts';
import packageJson from '../../package.json' with { type: 'json' };

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Builds the command tree; exported so the README's CLI reference can be regenerated from it. */
export function createProgram(io: CliIO): Command {
  const program = new Command('asmesh')
    .description('Build, test, run and ship Envoy proxy-wasm filters written in AssemblyScript')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  for (const register of commandModules) register(program, io);
  return program;
}

/** The one place that turns outcomes into printed messages and exit codes. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) {
    // Commander already printed help, the version, or the usage error.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof CommandFailed) return error.exitCode;
  if (error instanceof ConfigError) {
    writeLine(io.stderr, `asmesh: ${error.message}`);
    if (error.hint) writeLine(io.stderr, `hint: ${error.hint}`);
    return EXIT_USAGE;
  }
  if (error instanceof PluginLoadError) {
    writeLine(io.stderr, `asmesh: plugin ${error.pluginName} refused: ${error.message}`);
    return EXIT_FAILURE;
  }
  if (error instanceof EnvoyExitError) {
    writeLine(io.stderr, `asmesh: ${error.message}`);
    if (error.stderrTail) writeLine(io.stderr, error.stderrTail.trimEnd());
    return error.exitCode && error.exitCode > 0 ? error.exitCode : EXIT_FAILURE;
  }
  if (error instanceof PushError) {
    const status = error.status ? ` (HTTP ${error.status})` : '';
    writeLine(io.stderr, `asmesh: ${error.step} to ${error.registry} failed${status}: ${error.message}`);
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? error.message : String(error);
  writeLine(io.stderr, `asmesh: ${message}`);
  return EXIT_FAILURE;
}

function packageVersion(): string {
  return packageJson.version;
}
