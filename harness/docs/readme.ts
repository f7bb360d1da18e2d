/**
 * Generated sections of the README and of each filter's README: `<!-- generated:KEY -->` … `<!-- /generated:KEY -->`.
 * A test checks every file matches; `npm run docs` rewrites them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { hostcallTable } from '../host/abi/hostcalls.ts';
import { createProgram } from '../cli/main.ts';
import { cliReference } from './cli-reference.ts';
import { schemaTable } from './schema-table.ts';

export interface GeneratedDoc {
  /** Path relative to the project root. */
  file: string;
  sections: Record<string, string>;
}

/** Filters whose configuration reference the top-level README carries. */
export const README_FILTERS = ['router', 'fault', 'rbac', 'metrics'] as const;

function configTable(root: string, filter: string): string {
  return schemaTable(JSON.parse(readFileSync(path.join(root, 'filters', filter, 'schema.json'), 'utf8')));
}

export function generatedDocs(root: string): GeneratedDoc[] {
  const sink = new PassThrough();
  const readme: Record<string, string> = {
    'cli-reference': cliReference(createProgram({ stdout: sink, stderr: sink })),
    hostcalls: hostcallTable(),
  };
  for (const filter of README_FILTERS) readme[`config-${filter}`] = configTable(root, filter);
  const docs: GeneratedDoc[] = [{ file: 'README.md', sections: readme }];
  for (const entry of readdirSync(path.join(root, 'filters'), { withFileTypes: true })) {
    const readmePath = path.join(root, 'filters', entry.name, 'README.md');
    if (!entry.isDirectory() || !existsSync(path.join(root, 'filters', entry.name, 'schema.json')) || !existsSync(readmePath)) continue;
    if (!readFileSync(readmePath, 'utf8').includes('<!-- generated:config -->')) continue;
    docs.push({ file: path.join('filters', entry.name, 'README.md'), sections: { config: configTable(root, entry.name) } });
  }
  return docs;
}

/** `current` with every generated section replaced by its current rendering. */
export function renderGenerated(current: string, sections: Record<string, string>): string {
  return current.replace(/<!-- generated:([a-z0-9-]+) -->\n[\s\S]*?<!-- \/generated:\1 -->/g, (_whole, key: string) => {
    const body = sections[key];
    if (body === undefined) throw new Error(`unknown generated section "${key}"`);
    return `<!-- generated:${key} -->\n${body}\n<!-- /generated:${key} -->`;
  });
}
