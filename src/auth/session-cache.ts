/**
 * Sessions read in the last moment, by token hash (src/org/users.ts fills it). Every change to an
 * account, its role, class or locale, or its sessions, made in this server calls `forgetSessions`,
 * so a closed account or a sign-out takes effect at once and a cached actor is never older than the
 * cache's time to live otherwise.
 */
export const SESSION_CACHE_MS = 2_000;
const SESSION_CACHE_MAX = 5_000;

export class SessionCache<K extends object, V> {
  private readonly entries = new Map<string, { owner: K; at: number; value: V }>();

  get(owner: K, key: string, clock: number): V | undefined {
    const hit = this.entries.get(key);
    return hit && hit.owner === owner && clock - hit.at < SESSION_CACHE_MS ? hit.value : undefined;
  }

  set(owner: K, key: string, value: V, clock: number): void {
    if (this.entries.size >= SESSION_CACHE_MAX) {
      for (const [k, entry] of this.entries) if (clock - entry.at >= SESSION_CACHE_MS) this.entries.delete(k);
      if (this.entries.size >= SESSION_CACHE_MAX) this.entries.clear();
    }
    this.entries.set(key, { owner, at: clock, value });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

const caches = new Set<SessionCache<object, unknown>>();

export function sessionCache<K extends object, V>(): SessionCache<K, V> {
  const cache = new SessionCache<K, V>();
  caches.add(cache as unknown as SessionCache<object, unknown>);
  return cache;
}

/** Drops every cached session. */
export function forgetSessions(): void {
  for (const cache of caches) cache.clear();
}
