/**
 * The connection manager's `access_log`: `envoy.access_loggers.file` and `envoy.access_loggers.stdout` /
 * `stderr`, text formats only (Envoy's default format when none is given). Lines are written when the
 * stream completes, after the filters' on_log.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import type { Fields } from './fields.ts';
import { parseFormat, type FormatContext, type Formatter } from './formatter.ts';

export const FILE_ACCESS_LOG = 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog';
export const STDOUT_ACCESS_LOG = 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog';
export const STDERR_ACCESS_LOG = 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StderrAccessLog';

/** Envoy's default access log format (text, newline-terminated). */
export const DEFAULT_ACCESS_LOG_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% ' +
  '%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"\n';

export interface AccessLogConfig {
  sink: { kind: 'file'; path: string } | { kind: 'stdout' } | { kind: 'stderr' };
  format: Formatter;
  /** `omit_empty_values`: unavailable values print as nothing instead of `-`. */
  omitEmpty: boolean;
}

/** Where stdout/stderr access logs go (default: the process's own streams). */
export interface AccessLogOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export function readAccessLog(f: Fields): AccessLogConfig | undefined {
  f.take('name');
  const typed = f.message('typed_config');
  const type = typed?.value['@type'];
  let config: AccessLogConfig | undefined;
  if (typed && (type === FILE_ACCESS_LOG || type === STDOUT_ACCESS_LOG || type === STDERR_ACCESS_LOG)) {
    const path = type === FILE_ACCESS_LOG ? typed.string('path') : '';
    // `/dev/stdout` and `/dev/stderr` (common in Envoy examples) write to the same streams as the stream loggers.
    const sink: AccessLogConfig['sink'] = type === STDOUT_ACCESS_LOG || path === '/dev/stdout' ? { kind: 'stdout' }
      : type === STDERR_ACCESS_LOG || path === '/dev/stderr' ? { kind: 'stderr' } : { kind: 'file', path };
    config = { sink, format: parseFormat(DEFAULT_ACCESS_LOG_FORMAT, () => undefined), omitEmpty: false };
    const refuse = (path: string) => (message: string): void => typed.refusals.unsupported(path, message);
    if (typed.has('format')) config.format = parseFormat(typed.string('format'), refuse(typed.at('format')));
    const logFormat = typed.message('log_format');
    if (logFormat) readLogFormat(logFormat, config, refuse);
    typed.done();
  } else f.refusals.unsupported(f.at('typed_config'), `access logger ${JSON.stringify(type)} not supported by the emulated data plane (only envoy.access_loggers.file, stdout and stderr)`);
  f.done();
  return config;
}

/** `SubstitutionFormatString` with a text format. */
function readLogFormat(f: Fields, config: AccessLogConfig, refuse: (path: string) => (message: string) => void): void {
  if (f.has('text_format')) config.format = parseFormat(f.string('text_format'), refuse(f.at('text_format')));
  const source = f.message('text_format_source');
  if (source) {
    if (source.has('inline_string')) config.format = parseFormat(source.string('inline_string'), refuse(source.at('inline_string')));
    source.done();
  }
  config.omitEmpty = f.bool('omit_empty_values', false);
  f.done();
}

/** The access logs of one connection manager; file logs are opened (created) at start, as Envoy does. */
export class AccessLogs {
  private readonly fds = new Map<string, number>();

  constructor(private readonly configs: AccessLogConfig[], private readonly output: AccessLogOutput, cwd: string) {
    for (const c of configs) {
      if (c.sink.kind !== 'file' || this.fds.has(c.sink.path)) continue;
      try {
        this.fds.set(c.sink.path, openSync(resolve(cwd, c.sink.path), 'a'));
      } catch (error) {
        this.close();
        throw new ConfigError(`access_log: cannot open ${c.sink.path}: ${(error as Error).message}`, undefined, { cause: error });
      }
    }
  }

  log(ctx: FormatContext): void {
    for (const c of this.configs) {
      const line = c.format.format(ctx, c.omitEmpty ? '' : '-');
      if (c.sink.kind !== 'file') this.output[c.sink.kind](line);
      else {
        // Streams still finishing while the data plane stops find their file closed.
        const fd = this.fds.get(c.sink.path);
        if (fd !== undefined) writeSync(fd, line);
      }
    }
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
