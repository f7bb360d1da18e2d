import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedDocs, renderGenerated } from '../../../harness/docs/readme.ts';
import { schemaTable } from '../../../harness/docs/schema-table.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

describe('generated documentation', () => {
  for (const doc of generatedDocs(root)) {
    it(`${doc.file} matches its generated sections (run npm run docs after changing the CLI, a schema or the hostcalls)`, () => {
      const current = readFileSync(path.join(root, doc.file), 'utf8');
      for (const key of Object.keys(doc.sections)) expect(current).toContain(`<!-- generated:${key} -->`);
      expect(current).toBe(renderGenerated(current, doc.sections));
    });
  }

  it('lists every CLI command in the README reference', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const command of ['build', 'run', 'validate', 'new', 'inspect', 'package', 'push', 'pull', 'manifest']) {
      expect(readme).toContain(`### \`asmesh ${command}`);
    }
  });

  it('renders nested, required and defaulted schema fields as table rows', () => {
    const table = schemaTable({
      type: 'object',
      required: ['rules'],
      properties: {
        rules: { type: 'array', description: 'the rules', items: { $ref: '#/definitions/rule' } },
        mode: { enum: ['A', 'B'], default: 'A' },
      },
      definitions: { rule: { type: 'object', properties: { weight: { type: 'number', minimum: 0, maximum: 100 } } } },
    });
    expect(table.split('\n')).toEqual([
      '| Field | Type | Default | Description |',
      '|---|---|---|---|',
      '| `rules` | array of object | required | the rules |',
      '| `rules[].weight` | number (≥ 0, ≤ 100) | — |  |',
      '| `mode` | `"A"` \\| `"B"` | `"A"` |  |',
    ]);
  });
});
