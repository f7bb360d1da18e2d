/**
 * Bootstrap validation against Envoy's own v3 API protos, like `envoy --mode validate`: the file is parsed
 * (YAML or JSON), read as proto3 JSON of `envoy.config.bootstrap.v3.Bootstrap`, and every `typed_config`
 * (any `google.protobuf.Any`) is checked as the message its `@type` names.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.ts';
import { envoyProtoSet } from './proto-set.ts';
import { checkProtoJson, type ProtoIssue } from './proto-json.ts';

export type { ProtoIssue } from './proto-json.ts';

export const BOOTSTRAP_TYPE = 'envoy.config.bootstrap.v3.Bootstrap';

/** A bootstrap that passed validation: the normalised tree uses proto field names (snake_case). */
export interface ValidatedBootstrap {
  /** Where it came from (file path) or a label for generated ones. */
  source: string;
  /** Normalised bootstrap: proto field names, enum names, nulls dropped, Any keeps `@type`. */
  bootstrap: Record<string, unknown>;
}

/** Checks a parsed bootstrap; returns every issue found (empty = valid) and the normalised tree. */
export function checkBootstrap(json: unknown): { issues: ProtoIssue[]; bootstrap: Record<string, unknown> } {
  const { root } = envoyProtoSet();
  const { issues, value } = checkProtoJson(root, BOOTSTRAP_TYPE, json);
  return { issues, bootstrap: (value ?? {}) as Record<string, unknown> };
}

/** Checks any Envoy API message by full name (e.g. a filter's typed_config on its own). */
export function checkMessage(typeName: string, json: unknown): ProtoIssue[] {
  return checkProtoJson(envoyProtoSet().root, typeName, json).issues;
}

export function formatIssues(issues: ProtoIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n');
}

/** Parses YAML or JSON text (JSON is YAML); a syntax error becomes a ConfigError naming the file and line. */
export function parseBootstrapText(text: string, source: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true, merge: true });
  } catch (error) {
    throw new ConfigError(`${source}: not valid YAML/JSON: ${(error as Error).message}`, undefined, { cause: error });
  }
}

/** Validates an already-parsed bootstrap; throws ConfigError listing every issue with its field path. */
export function validateBootstrap(json: unknown, source: string): ValidatedBootstrap {
  const { issues, bootstrap } = checkBootstrap(json);
  if (issues.length > 0) {
    throw new ConfigError(
      `${source}: invalid Envoy bootstrap (${BOOTSTRAP_TYPE}):\n${formatIssues(issues)}`,
      'field paths follow the Envoy v3 API; see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/bootstrap/v3/bootstrap.proto',
    );
  }
  return { source, bootstrap };
}

/** Reads, parses and validates a bootstrap file. */
export async function loadBootstrapFile(path: string): Promise<ValidatedBootstrap> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read bootstrap ${path}: ${(error as Error).message}`, undefined, { cause: error });
  }
  return validateBootstrap(parseBootstrapText(text, path), path);
}
