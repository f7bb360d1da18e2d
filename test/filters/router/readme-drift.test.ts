// The configuration tables in filters/{router,fault}/README.md are generated from schema.json: this test
// regenerates them and compares (run with UPDATE_DOCS=1 to rewrite the READMEs after a schema change).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.ts';
import { withGeneratedTable } from './schema-doc.ts';

describe.each(['router', 'fault'])('%s README configuration reference', (name) => {
  it('matches the table generated from schema.json', () => {
    const readmePath = `${repoRoot}/filters/${name}/README.md`;
    const readme = readFileSync(readmePath, 'utf8');
    const schema = JSON.parse(readFileSync(`${repoRoot}/filters/${name}/schema.json`, 'utf8'));
    const fresh = withGeneratedTable(readme, schema);
    if (process.env.UPDATE_DOCS === '1' && fresh !== readme) writeFileSync(readmePath, fresh);
    else expect(readme).toBe(fresh);
  });
});
