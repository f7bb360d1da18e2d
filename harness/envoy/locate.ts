/**
 * Finds an Envoy to run, in func-e's spirit: `ENVOY_BIN`, then `func-e` on PATH (`func-e run …`, which honours
 * `ENVOY_VERSION` / `FUNC_E_HOME` from the environment), then `envoy` on PATH.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type EnvoyLocation =
  | {
      available: true;
      /** Which rule found it. */
      via: 'ENVOY_BIN' | 'func-e' | 'PATH';
      /** Executable to spawn. */
      command: string;
      /** Arguments placed before Envoy's own (`run` for func-e). */
      prefixArgs: string[];
      /** One line for humans, e.g. `func-e run (ENVOY_VERSION=1.31.2)`. */
      description: string;
    }
  | { available: false; reason: string; hint: string };

export const INSTALL_HINT =
  'install func-e (https://func-e.io: `curl -L https://func-e.io/install.sh | bash -s -- -b /usr/local/bin`) and run `func-e use <version>`, ' +
  'or point ENVOY_BIN at an Envoy binary';

/** Looks Envoy up; never throws. `env` defaults to the process environment. */
export function locateEnvoy(env: NodeJS.ProcessEnv = process.env): EnvoyLocation {
  const bin = env.ENVOY_BIN;
  if (bin !== undefined && bin !== '') {
    if (!isExecutableFile(bin)) return { available: false, reason: `ENVOY_BIN=${bin} is not an executable file`, hint: INSTALL_HINT };
    return { available: true, via: 'ENVOY_BIN', command: bin, prefixArgs: [], description: `${bin} (ENVOY_BIN)` };
  }
  const funcE = findOnPath('func-e', env.PATH);
  if (funcE) {
    const pinned = [env.ENVOY_VERSION && `ENVOY_VERSION=${env.ENVOY_VERSION}`, env.FUNC_E_HOME && `FUNC_E_HOME=${env.FUNC_E_HOME}`].filter(Boolean);
    const suffix = pinned.length > 0 ? ` (${pinned.join(', ')})` : '';
    return { available: true, via: 'func-e', command: funcE, prefixArgs: ['run'], description: `${funcE} run${suffix}` };
  }
  const envoy = findOnPath('envoy', env.PATH);
  if (envoy) return { available: true, via: 'PATH', command: envoy, prefixArgs: [], description: `${envoy} (PATH)` };
  return { available: false, reason: 'no Envoy found: ENVOY_BIN is not set and neither func-e nor envoy is on PATH', hint: INSTALL_HINT };
}

export function findOnPath(name: string, path: string | undefined): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
