/** Loads the Wasm filters of every listener into one WasmHost (one emulated Envoy process). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, PluginLoadError } from '../errors.ts';
import type { Plugin, WasmHost } from '../host/index.ts';
import type { WasmFilterConfig } from './config-types.ts';

/**
 * Loads each filter's plugin in order. Relative `code.local.filename` paths resolve against `cwd`, as Envoy
 * resolves them against its working directory. A plugin Envoy would refuse rejects with PluginLoadError.
 */
export async function loadPlugins(host: WasmHost, filters: WasmFilterConfig[], cwd: string, path: string): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  for (const [i, filter] of filters.entries()) {
    const file = resolve(cwd, filter.codeFilename);
    let wasm: Uint8Array;
    try {
      wasm = new Uint8Array(await readFile(file));
    } catch (error) {
      throw new ConfigError(`${path}.http_filters[${i}] (${filter.filterName}): vm_config.code.local.filename: cannot read ${file}: ${(error as Error).message}`,
        'build the filters first (npm run build); relative paths resolve against the working directory, as in Envoy', { cause: error });
    }
    const logsBefore = host.logs.length;
    plugins.push(await host.loadPlugin({
      name: filter.pluginName,
      rootId: filter.rootId,
      vmId: filter.vmId,
      wasm,
      configuration: filter.configuration,
      vmConfiguration: filter.vmConfiguration,
      environment: filter.environment,
      failurePolicy: filter.failOpen ? 'FAIL_OPEN' : 'FAIL_CLOSED',
    }).catch((error: unknown) => {
      if (!(error instanceof PluginLoadError)) throw error;
      // Envoy logs the plugin's own critical lines before refusing; keep them in the message.
      const lines = host.logs.slice(logsBefore).filter((e) => e.level === 'critical' || e.level === 'error').map((e) => `  ${e.message}`);
      throw new PluginLoadError(`${error.message} (${path}.http_filters[${i}])${lines.length ? `\n${lines.join('\n')}` : ''}`, error.pluginName, { cause: error });
    }));
  }
  return plugins;
}
