/**
 * What Envoy links and what it refuses, by ABI version and import/export signature (cpp-host `src/wasm.cc`
 * registerCallbacks/getFunctions, `src/v8/v8.cc` link/getModuleFunctionImpl — V8 is Envoy's default runtime).
 */
import { describe, expect, it } from 'vitest';
import { PluginLoadError } from '../../../harness/errors.ts';
import { createTestHost } from '../../../harness/testing/index.ts';
import {
  ABI_020_WITH_GET_LOG_LEVEL, ASSEMBLYSCRIPT_ENV_ABORT, FD_WRITE_WRONG_SIGNATURE, MAIN_WITHOUT_ARGS, REQUEST_HEADERS_ABI_010_ARITY,
  UNOFFERED_WASI_FUNCTION, twoAbiMarkers,
} from './fixtures/link-refusals.ts';
import { rustUnknownModule } from './fixtures/rust.ts';
import { fields, linesStartingWith } from './helpers/logs.ts';
import { compileWat } from './helpers/wat.ts';

async function loadError(wat: string): Promise<Error> {
  const err = await createTestHost({ wasm: await compileWat(wat), name: 'refused' }).then(
    () => new Error('expected the plugin to be refused'),
    (e: unknown) => e as Error,
  );
  expect(err).toBeInstanceOf(PluginLoadError);
  return err;
}

describe('ABI 0.2.1 (Rust and C++ SDK marker)', () => {
  it.each([
    ['trace', 0],
    ['info', 2],
    ['warn', 3],
    ['error', 4],
  ] as const)('gives proxy_get_log_level the wasm logger level (%s → %i)', async (level, expected) => {
    const env = await createTestHost({ wasm: await compileWat(rustUnknownModule()), name: 'rust', logLevel: level, canary: false });
    const line = linesStartingWith(env.logEntries(), 'rust-unknown: log_level=')[0];
    expect(fields(line ?? '')).toEqual({ log_level: String(expected), status: '0' });
  });
});

describe('ABI detection', () => {
  it('takes the first ABI marker in export order: 0.2.1 first offers proxy_get_log_level', async () => {
    const env = await createTestHost({ wasm: await compileWat(twoAbiMarkers('0_2_1', '0_2_0')), canary: false });
    expect(linesStartingWith(env.logEntries(), 'log level read')).toHaveLength(1);
  });

  it('takes the first ABI marker in export order: 0.2.0 first refuses proxy_get_log_level', async () => {
    const err = await loadError(twoAbiMarkers('0_2_0', '0_2_1'));
    expect(err.message).toContain('Failed to load Wasm module due to a missing import: env.proxy_get_log_level');
  });
});

describe('link refusals', () => {
  it('refuses an ABI 0.2.0 module that imports proxy_get_log_level (0.2.1 only)', async () => {
    const err = await loadError(ABI_020_WITH_GET_LOG_LEVEL);
    expect(err.message).toContain('Failed to load Wasm module due to a missing import: env.proxy_get_log_level');
  });

  it('refuses a WASI function Envoy does not register', async () => {
    const err = await loadError(UNOFFERED_WASI_FUNCTION);
    expect(err.message).toContain('Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.proc_raise');
  });

  it("refuses AssemblyScript's default env.abort import", async () => {
    const err = await loadError(ASSEMBLYSCRIPT_ENV_ABORT);
    expect(err.message).toContain('Failed to load Wasm module due to a missing import: env.abort');
  });

  it('refuses wasi_snapshot_preview1.fd_write imported with the wrong signature', async () => {
    const err = await loadError(FD_WRITE_WRONG_SIGNATURE);
    expect(err.message).toContain('Failed to load Wasm module due to an import type mismatch');
    expect(err.message).toContain('wasi_snapshot_preview1.fd_write');
  });

  // V8::link wording: "want" is the module's import type, "host exports" the host function's; kinds joined by " ".
  it("words an import type mismatch exactly as Envoy's V8 runtime does", async () => {
    const err = await loadError(FD_WRITE_WRONG_SIGNATURE);
    expect(err.message).toContain(
      'Failed to load Wasm module due to an import type mismatch: wasi_snapshot_preview1.fd_write, want: i32 i32 i32 -> i32, but host exports: i32 i32 i32 i32 -> i32',
    );
  });
});

describe('export signature refusals', () => {
  it('refuses a reactor whose main takes no arguments (cpp-host looks main up as (i32, i32) -> i32)', async () => {
    const err = await loadError(MAIN_WITHOUT_ARGS);
    expect(err.message).toContain('Bad function signature for: main');
  });

  it('refuses an ABI 0.2.0 module whose proxy_on_request_headers lacks end_of_stream', async () => {
    const err = await loadError(REQUEST_HEADERS_ABI_010_ARITY);
    expect(err.message).toContain('Bad function signature for: proxy_on_request_headers');
  });

  // V8 getModuleFunctionImpl wording: "Bad function signature for: <name>, want: <host types>, but the module exports: <module types>".
  it('words a bad export signature exactly as V8 does', async () => {
    expect((await loadError(MAIN_WITHOUT_ARGS)).message).toContain(
      'Bad function signature for: main, want: i32 i32 -> i32, but the module exports: void -> i32',
    );
    expect((await loadError(REQUEST_HEADERS_ABI_010_ARITY)).message).toContain(
      'Bad function signature for: proxy_on_request_headers, want: i32 i32 i32 -> i32, but the module exports: i32 i32 -> i32',
    );
  });
});
