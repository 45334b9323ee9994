/**
 * The virtual server table while it is being built: services by identity, each with its real
 * servers by identity, in the order they appeared. Listing lines and restore commands both edit
 * it (a restore command can delete or edit what an earlier line added), and `build()` freezes it
 * into the immutable {@link IpvsTable}. This is the one mutable object of the IPVS model; it
 * lives only for one `buildIpvs` call.
 */
import { realServerKey, serviceKey } from './lookup.js';
import type { IpvsTable, IpvsTimeouts, RealServer, VirtualService } from './types.js';

/** A virtual service without its real servers. */
export type ServiceFields = Omit<VirtualService, 'realServers'>;

export interface ServiceDraft {
  /** Replaced as a whole when the service is edited. */
  fields: ServiceFields;
  readonly servers: Map<string, RealServer>;
}

export class IpvsTableBuilder {
  private readonly services = new Map<string, ServiceDraft>();
  version: string | null = null;
  connectionTableSize: number | null = null;
  timeouts: IpvsTimeouts | null = null;

  get(key: string): ServiceDraft | undefined {
    return this.services.get(key);
  }

  /** Adds a service; one of the same identity is removed first (its real servers with it). */
  add(fields: ServiceFields): ServiceDraft {
    const key = serviceKey(fields);
    this.services.delete(key);
    const draft: ServiceDraft = { fields, servers: new Map() };
    this.services.set(key, draft);
    return draft;
  }

  remove(key: string): void {
    this.services.delete(key);
  }

  clear(): void {
    this.services.clear();
  }

  /** Every service, for `-Z` without a service. */
  all(): IterableIterator<ServiceDraft> {
    return this.services.values();
  }

  /** Adds or replaces a real server; a replaced one keeps its place. */
  putServer(draft: ServiceDraft, server: RealServer): void {
    draft.servers.set(realServerKey(server), server);
  }

  removeServer(draft: ServiceDraft, key: string): void {
    draft.servers.delete(key);
  }

  build(): IpvsTable {
    const services: VirtualService[] = [];
    for (const draft of this.services.values()) {
      services.push(Object.freeze({ ...draft.fields, realServers: Object.freeze([...draft.servers.values()]) }));
    }
    return Object.freeze({
      services: Object.freeze(services),
      version: this.version,
      connectionTableSize: this.connectionTableSize,
      timeouts: this.timeouts,
    });
  }
}
