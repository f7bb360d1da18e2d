/**
 * rbac benchmark cases: 1, 10 and 100 policies, every one evaluated for every request. N-1 DENY policies that
 * do not match (path prefix + methods + a header condition each), then one ALLOW policy that admits the request,
 * so the decision walks the whole list. Only request-header attributes are used, so both hosts see the same work.
 */
import type { BenchCase } from '../case.ts';
import { BENCH_REQUEST_HEADERS } from '../fixed-host.ts';

function config(n: number): string {
  const policies: unknown[] = [];
  for (let i = 0; i < n - 1; i++) {
    policies.push({
      name: `deny-${i}`,
      action: 'DENY',
      rules: [{
        to: [{ operation: { paths: [`/internal/${i}/*`, `/admin/${i}`], methods: ['POST', 'DELETE'] } }],
        when: [{ key: 'request.headers[x-debug]', values: ['1'] }],
      }],
    });
  }
  policies.push({
    name: 'allow-api',
    action: 'ALLOW',
    rules: [{ to: [{ operation: { methods: ['GET', 'HEAD'], paths: ['/api/*'] } }] }],
  });
  return JSON.stringify({ policies });
}

export const cases: BenchCase[] = [1, 10, 100].map((n): BenchCase => ({
  name: `rbac (${n} polic${n === 1 ? 'y' : 'ies'}, allowed)`,
  wasm: 'dist/filters/rbac.wasm',
  rootId: 'rbac',
  configuration: config(n),
  requestHeaders: BENCH_REQUEST_HEADERS,
}));

export default cases;
