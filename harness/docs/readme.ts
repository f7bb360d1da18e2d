/**
 * The README's generated sections: `<!-- generated:KEY -->` … `<!-- /generated:KEY -->`. A test checks the file
 * matches; `npm run docs` rewrites it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createProgram } from '../cli/main.ts';
import { cliReference } from './cli-reference.ts';
import { schemaTable } from './schema-table.ts';

export const FILTERS_WITH_REFERENCE = ['router', 'fault', 'rbac', 'metrics'] as const;

export function generatedSections(root: string): Record<string, string> {
  const sink = new PassThrough();
  const sections: Record<string, string> = { 'cli-reference': cliReference(createProgram({ stdout: sink, stderr: sink })) };
  for (const name of FILTERS_WITH_REFERENCE) {
    const schema = JSON.parse(readFileSync(path.join(root, 'filters', name, 'schema.json'), 'utf8'));
    sections[`config-${name}`] = schemaTable(schema);
  }
  return sections;
}

/** The README with every generated section replaced by its current rendering. */
export function renderReadme(current: string, sections: Record<string, string>): string {
  return current.replace(/<!-- generated:([a-z0-9-]+) -->\n[\s\S]*?<!-- \/generated:\1 -->/g, (whole, key: string) => {
    const body = sections[key];
    if (body === undefined) throw new Error(`README has an unknown generated section "${key}"`);
    return `<!-- generated:${key} -->\n${body}\n<!-- /generated:${key} -->`;
  });
}
