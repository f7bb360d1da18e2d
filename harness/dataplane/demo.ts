/** What `asmesh run` prints for the demo bootstrap (`envoy/demo.yaml`, recognised by its node id). */

export const DEMO_NODE_ID = 'asmesh-demo';

/** curl lines that show each filter of the demo working. `listenerUrl` like `http://127.0.0.1:10000`. */
export function demoCurlLines(listenerUrl: string, adminAddress: string): string[] {
  return [
    `curl -s -i ${listenerUrl}/ -H 'x-version: v2'                      # router: header rule → served by v2 (see x-served-by)`,
    `curl -s -i ${listenerUrl}/ -H 'x-user: alice'                      # router: sticky canary split by x-user (v1 90% / v2 10%)`,
    `curl -s -i ${listenerUrl}/fault/ -H 'x-envoy-fault-delay-request: 500'  # fault: 500 ms delay`,
    `curl -s -i ${listenerUrl}/fault/ -H 'x-envoy-fault-abort-request: 503'  # fault: abort with 503`,
    `curl -s -i ${listenerUrl}/admin                                    # rbac: denied (403 RBAC: access denied)`,
    `curl -s http://${adminAddress}/stats/prometheus | grep asmesh_     # metrics: Prometheus from the admin port`,
  ];
}
