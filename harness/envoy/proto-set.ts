/**
 * Envoy's v3 API as protobufjs reflection, loaded from the .proto files `@grpc/grpc-js-xds` ships
 * (deps/envoy-api, xds, googleapis, protoc-gen-validate). Files whose imports are not in that set
 * (OpenCensus, OpenTelemetry, Prometheus client protos) are left out; their messages then count as unknown types.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import protobuf from 'protobufjs';

/** google/protobuf files protobufjs bundles itself (`protobuf.common`). */
const BUNDLED_WELL_KNOWN = /^google\/protobuf\/(any|duration|timestamp|empty|struct|wrappers|field_mask)\.proto$/;

export interface ProtoSet {
  root: protobuf.Root;
  /** Proto files left out because an import is missing from the package (relative paths). */
  skippedFiles: string[];
  /** Include directories searched, in order. */
  includeDirs: string[];
}

let cached: ProtoSet | undefined;

/** Loads (once per process) every Envoy API file whose imports resolve. About 0.3 s. */
export function envoyProtoSet(): ProtoSet {
  cached ??= loadProtoSet();
  return cached;
}

function loadProtoSet(): ProtoSet {
  const require = createRequire(import.meta.url);
  const xdsDir = dirname(require.resolve('@grpc/grpc-js-xds/package.json'));
  const protobufDir = dirname(require.resolve('protobufjs/package.json'));
  const deps = join(xdsDir, 'deps');
  const includeDirs = [protobufDir, join(deps, 'envoy-api'), join(deps, 'xds'), join(deps, 'googleapis'), join(deps, 'protoc-gen-validate')];
  const locate = (file: string): string | null => {
    for (const dir of includeDirs) {
      const candidate = join(dir, file);
      if (existsSync(candidate)) return candidate;
    }
    return null;
  };
  const usable = new Map<string, boolean>();
  const isUsable = (file: string, visiting: Set<string>): boolean => {
    const known = usable.get(file);
    if (known !== undefined) return known;
    if (visiting.has(file)) return true;
    if (BUNDLED_WELL_KNOWN.test(file)) return true;
    const path = locate(file);
    if (!path) {
      usable.set(file, false);
      return false;
    }
    visiting.add(file);
    let ok = true;
    for (const m of readFileSync(path, 'utf8').matchAll(/^import\s+(?:public\s+|weak\s+)?"([^"]+)"/gm)) {
      if (!isUsable(m[1]!, visiting)) ok = false;
    }
    usable.set(file, ok);
    return ok;
  };
  const apiDir = join(deps, 'envoy-api');
  const all = listProtos(join(apiDir, 'envoy')).map((p) => relative(apiDir, p));
  const files = all.filter((f) => isUsable(f, new Set()));
  const skippedFiles = all.filter((f) => !files.includes(f));
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => locate(target) ?? target;
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  return { root, skippedFiles, includeDirs };
}

function listProtos(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listProtos(path, out);
    else if (entry.name.endsWith('.proto')) out.push(path);
  }
  return out;
}
