/** What a command may write to. Only `harness/cli` writes to the terminal; library code returns values. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); tests pass their own. */
  untilSignal?: () => Promise<string>;
}

/** Thrown by a command that has already printed what went wrong and only needs a non-zero exit code. */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
  constructor(readonly exitCode: number, message = `exit ${exitCode}`) {
    super(message);
  }
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(line + '\n');
}
