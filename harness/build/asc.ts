/**
 * Compile one AssemblyScript entry file with the pinned compiler (AssemblyScript 0.17.14).
 * Runs `asc` in a child process (parallel-safe, no global compiler state in this process);
 * never prints: diagnostics come back in a `CompileError`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDiagnostics, type Diagnostic } from './diagnostics.ts';

export type { Diagnostic } from './diagnostics.ts';

/** Repository root: the nearest directory above this module (or the bundle) whose package.json is asmesh's. */
export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'asmesh') return dir;
    } catch {
      // no package.json here
    }
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** Directory of an installed npm package, looked up in node_modules from the repository root upwards. */
export function packageDir(name: string): string {
  for (let dir = repoRoot; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`package ${name} is not installed (run npm ci)`);
  }
}

/** Path of the `asc` command-line script of the installed AssemblyScript. */
export function ascBin(): string {
  return path.join(packageDir('assemblyscript'), 'bin', 'asc');
}

export interface CompileOptions {
  /** Entry `.ts` file (absolute, or relative to the repository root). */
  entry: string;
  /** Output `.wasm` path (absolute, or relative to the repository root); parent directories are created. */
  outFile: string;
  /** -O3 --noAssert (default true). With false: no optimisation. */
  optimize?: boolean;
  /** --debug plus a source map (`<outFile>.map`) and the name section. */
  debug?: boolean;
  /**
   * Abort handler passed as `--use abort=<value>`; default `abort_proc_exit` (proxy-runtime's, logs at
   * critical then traps, no `env.abort` import). Pass `null` to omit the flag (the module then imports `env.abort`).
   */
  abort?: string | null;
  /** Runtime variant, default `full` (proxy-runtime 0.1.8 needs it). */
  runtime?: 'full' | 'half' | 'stub' | 'none';
  /** More asc arguments, appended last. */
  extraArgs?: string[];
}

export interface CompileResult {
  /** Absolute path of the written `.wasm`. */
  wasmPath: string;
  /** Size of the module in bytes. */
  bytes: number;
  /** The module itself. */
  wasm: Uint8Array;
  /** Wall-clock compile time in milliseconds. */
  ms: number;
  /** Warnings asc reported (errors throw instead). */
  warnings: Diagnostic[];
}

/** asc failed: `diagnostics` holds every parsed `file:line:col` message; `output` the raw compiler text. */
export class CompileError extends Error {
  override readonly name = 'CompileError';
  constructor(
    message: string,
    readonly entry: string,
    readonly diagnostics: Diagnostic[],
    readonly output: string,
  ) {
    super(message);
  }
}

/** The asc argument list for the given options (exported for the build stamp: flags are part of the hash). */
export function ascArgs(opts: CompileOptions): string[] {
  const entry = path.resolve(repoRoot, opts.entry);
  const outFile = path.resolve(repoRoot, opts.outFile);
  const args = [entry, '-b', outFile, '--runtime', opts.runtime ?? 'full', '--noColors'];
  const abort = opts.abort === undefined ? 'abort_proc_exit' : opts.abort;
  if (abort !== null) args.push('--use', `abort=${abort}`);
  if (opts.optimize ?? true) args.push('-O3', '--noAssert');
  if (opts.debug) args.push('--debug', '--sourceMap');
  args.push(...(opts.extraArgs ?? []));
  return args;
}

/** Compile `entry` to `outFile`. Rejects with `CompileError` on any compiler error. */
export async function compileAssemblyScript(opts: CompileOptions): Promise<CompileResult> {
  const outFile = path.resolve(repoRoot, opts.outFile);
  await mkdir(path.dirname(outFile), { recursive: true });
  const started = performance.now();
  const { code, output } = await runAsc(ascArgs(opts));
  const ms = Math.round(performance.now() - started);
  const diagnostics = parseDiagnostics(output, repoRoot);
  const errors = diagnostics.filter((d) => d.category === 'ERROR');
  if (code !== 0 || errors.length > 0) {
    const missingGlobal = /no such global element: (\S+?)\)?\./.exec(output) ?? /no such global element: (\S+)/.exec(output);
    const lines = errors.length > 0
      ? errors.map(formatDiagnostic)
      : missingGlobal
        ? [`--use abort=${missingGlobal[1]}: no global function ${missingGlobal[1]} in the program (import the SDK or proxy-runtime, or pass abort: null)`]
        : [output.trim().split('\n').slice(0, 20).join('\n') || `asc exited with code ${code}`];
    throw new CompileError(`${path.relative(repoRoot, path.resolve(repoRoot, opts.entry))}: compile failed\n${lines.join('\n')}`,
      opts.entry, diagnostics, output);
  }
  const wasm = new Uint8Array(await readFile(outFile));
  return { wasmPath: outFile, bytes: wasm.byteLength, wasm, ms, warnings: diagnostics.filter((d) => d.category !== 'ERROR') };
}

/** `file:line:col: ERROR TS2304: message` */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.category} ${d.code}: ${d.message}`;
}

function runAsc(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ascBin(), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
