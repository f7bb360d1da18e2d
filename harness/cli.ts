import { run } from './cli/main.ts';

const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  untilSignal: () =>
    new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }),
};

run(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`asmesh: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
