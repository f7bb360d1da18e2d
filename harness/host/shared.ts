/**
 * Process-wide shared data (per vm_id, one CAS counter — reference §5.7) and shared queues (§5.8).
 */
import { WasmResult } from './status.ts';

interface SharedValue {
  value: Uint8Array;
  cas: number;
}

export class SharedData {
  private readonly byVm = new Map<string, Map<string, SharedValue>>();
  private nextCas = 1;

  get(vmId: string, key: string): SharedValue | undefined {
    return this.byVm.get(vmId)?.get(key);
  }

  /** cas 0 always stores; a missing key ignores cas; otherwise cas must match (CasMismatch). */
  set(vmId: string, key: string, value: Uint8Array, cas: number): WasmResult {
    let map = this.byVm.get(vmId);
    if (!map) {
      map = new Map();
      this.byVm.set(vmId, map);
    }
    const existing = map.get(key);
    if (existing && cas !== 0 && cas !== existing.cas) return WasmResult.CasMismatch;
    const next = this.nextCas++;
    if (this.nextCas > 0xffffffff) this.nextCas = 1;
    map.set(key, { value, cas: next });
    return WasmResult.Ok;
  }
}

export interface QueueOwner {
  /** Deliver `proxy_on_queue_ready(rootId, token)` on the registering VM. */
  notify(token: number): void;
}

interface Queue {
  token: number;
  vmId: string;
  name: string;
  items: Uint8Array[];
  owner: QueueOwner;
}

export class SharedQueues {
  private readonly byKey = new Map<string, Queue>();
  private readonly byToken = new Map<number, Queue>();
  private nextToken = 1;

  /** Create or re-open (vm_id, name); the latest registrant receives on_queue_ready. */
  register(vmId: string, name: string, owner: QueueOwner): number {
    const key = `${vmId}\0${name}`;
    let q = this.byKey.get(key);
    if (!q) {
      q = { token: this.nextToken++, vmId, name, items: [], owner };
      this.byKey.set(key, q);
      this.byToken.set(q.token, q);
    }
    q.owner = owner;
    return q.token;
  }

  resolve(vmId: string, name: string): number | undefined {
    return this.byKey.get(`${vmId}\0${name}`)?.token;
  }

  enqueue(token: number, value: Uint8Array): WasmResult {
    const q = this.byToken.get(token);
    if (!q) return WasmResult.NotFound;
    q.items.push(value);
    q.owner.notify(token);
    return WasmResult.Ok;
  }

  dequeue(token: number): Uint8Array | WasmResult {
    const q = this.byToken.get(token);
    if (!q) return WasmResult.NotFound;
    const item = q.items.shift();
    return item ?? WasmResult.Empty;
  }
}
