/** Errors the CLI maps to exit codes and messages. Library code throws these; only `harness/cli` prints. */

/** The user's input (file, flag, configuration) is wrong. Exit code 2; the message names the field or value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(message: string, readonly hint?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A Wasm plugin was refused at load (missing import, unknown ABI, on_configure returned false, trap at start). */
export class PluginLoadError extends Error {
  override readonly name = 'PluginLoadError';
  constructor(message: string, readonly pluginName: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A real Envoy process exited with an error; carries its exit code and the tail of its stderr. */
export class EnvoyExitError extends Error {
  override readonly name = 'EnvoyExitError';
  constructor(message: string, readonly exitCode: number | null, readonly stderrTail: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Pushing to or pulling from an OCI registry failed; names the registry and the step, never a secret. */
export class PushError extends Error {
  override readonly name = 'PushError';
  constructor(message: string, readonly registry: string, readonly step: string, readonly status?: number, options?: { cause?: unknown }) {
    super(message, options);
  }
}
