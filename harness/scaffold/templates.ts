/** The files `asmesh new <name>` writes: a working filter on the SDK layer plus an emulator test. */

export interface ScaffoldNames {
  /** Directory and root id, e.g. `add-header`. */
  name: string;
  /** Class prefix, e.g. `AddHeader`. */
  className: string;
}

export function filterFiles(n: ScaffoldNames): Record<string, string> {
  return {
    'index.ts': `// Registration: the only file that touches the SDK entry point. Root id: "${n.name}".
export * from "../sdk/exports";
import { registerRootContext } from "../sdk";
import { ${n.className}Root } from "./filter";

registerRootContext((context_id: u32) => new ${n.className}Root(context_id), "${n.name}");
`,
    'config.ts': `// Configuration: JSON text → immutable settings, or {path, message} errors. No hostcalls.
import { Config, ObjectReader } from "../sdk";

export class ${n.className}Settings {
  constructor(public header: string, public value: string) {}
}

export class ${n.className}ConfigResult {
  constructor(public settings: ${n.className}Settings | null, public config: Config) {}
}

export function parse${n.className}Config(text: string): ${n.className}ConfigResult {
  const config = Config.parse(text);
  const root = config.root;
  if (root === null) return new ${n.className}ConfigResult(null, config);
  const r = <ObjectReader>root;
  const header = r.requiredString("header");
  if (r.has("header") && header.length == 0) config.error(r.pathOf("header"), "expected a non-empty string");
  const value = r.string("value", "");
  r.end();
  return new ${n.className}ConfigResult(config.ok ? new ${n.className}Settings(header.toLowerCase(), value) : null, config);
}
`,
    'filter.ts': `// Root and stream contexts: hook code only.
import { RootContext, Context, FilterHeadersStatusValues, addResponseHeader, pluginConfiguration } from "../sdk";
import { ${n.className}Settings, parse${n.className}Config } from "./config";

export class ${n.className}Root extends RootContext {
  settings: ${n.className}Settings = new ${n.className}Settings("x-${n.name}", "");

  onConfigure(configuration_size: u32): bool {
    const parsed = parse${n.className}Config(pluginConfiguration(configuration_size));
    if (parsed.settings === null) {
      parsed.config.report("${n.name}");
      return false;
    }
    this.settings = <${n.className}Settings>parsed.settings;
    return true;
  }

  createContext(context_id: u32): Context {
    return new ${n.className}Stream(context_id, this);
  }
}

export class ${n.className}Stream extends Context {
  onResponseHeaders(num_headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    const settings = (<${n.className}Root>this.root_context).settings;
    addResponseHeader(settings.header, settings.value);
    return FilterHeadersStatusValues.Continue;
  }
}
`,
    'schema.json': `${JSON.stringify(
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: `${n.name} filter configuration`,
        type: 'object',
        additionalProperties: false,
        required: ['header'],
        properties: {
          header: { type: 'string', minLength: 1, description: 'Response header to add.' },
          value: { type: 'string', default: '', description: 'Value of the header.' },
        },
      },
      null,
      2,
    )}\n`,
    'example.json': `${JSON.stringify({ header: `x-${n.name}`, value: 'hello' }, null, 2)}\n`,
    'README.md': `# ${n.name}

Adds one response header to every response (a starting point: replace with your filter's purpose).

\`\`\`json
{ "header": "x-${n.name}", "value": "hello" }
\`\`\`

| field | type | meaning |
|---|---|---|
| \`header\` | string, required | response header to add |
| \`value\` | string, default \`""\` | its value |

A configuration with an unknown field or a missing \`header\` refuses to load; the log line names the field.

Try it: \`npm run build && npx vitest run test/filters/${n.name}\`.
`,
  };
}

export function testFile(n: ScaffoldNames): string {
  return `import { afterEach, describe, expect, it } from 'vitest';
import { PluginLoadError } from '../../../harness/errors.ts';
import { createTestHost, type TestEnv } from '../../../harness/testing/index.ts';

const wasm = 'dist/filters/${n.name}.wasm';
const load = (configuration: unknown) =>
  createTestHost({ wasm, name: '${n.name}', rootId: '${n.name}', configuration: JSON.stringify(configuration) });

describe('${n.name} filter', () => {
  let env: TestEnv | undefined;
  afterEach(() => env?.dispose());

  it('adds the configured response header', async () => {
    env = await load({ header: 'x-${n.name}', value: 'hello' });
    const stream = env.openStream();
    stream.sendRequestHeaders({ ':method': 'GET', ':path': '/', ':authority': 'example.com' }, { endStream: true });
    stream.sendResponseHeaders({ ':status': '200' }, { endStream: true });
    expect(stream.downstreamResponse.headers?.['x-${n.name}']).toBe('hello');
    stream.complete();
  });

  it('rejects a configuration without header, naming the field', async () => {
    const refusal = (await load({ value: 'hello' }).catch((error: unknown) => error)) as PluginLoadError & { logs(level: string): string[] };
    expect(refusal).toBeInstanceOf(PluginLoadError);
    expect(refusal.logs('critical')).toContain('${n.name}: invalid configuration: header: is required');
  });
});
`;
}
