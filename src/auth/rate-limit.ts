/**
 * Failed sign-ins slow down the one who fails, never the account's owner elsewhere.
 *
 * Failures are counted per (login, address) pair and per address in a sliding window. Past a few free
 * attempts each further failure doubles the wait before the next attempt from that pair (1 s, 2 s, 4 s …
 * up to `maxDelayMs`); an address that fails across many logins waits the same way. A login is never
 * locked as such: its owner with the right password signs in at once from another address, and a
 * success clears the pair. Kept in memory: one server process serves one library or one region.
 */
export interface ThrottleOptions {
  /** Failures of one login from one address before any wait. */
  freePerPair?: number;
  /** Failures from one address, whatever the login, before any wait. */
  freePerAddress?: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a failure is remembered. */
  windowMs?: number;
  now?: () => number;
}

export class LoginThrottle {
  private failures = new Map<string, number[]>();
  private readonly freePerPair: number;
  private readonly freePerAddress: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: ThrottleOptions = {}) {
    this.freePerPair = options.freePerPair ?? 3;
    this.freePerAddress = options.freePerAddress ?? 20;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 5 * 60 * 1000;
    this.windowMs = options.windowMs ?? 15 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  private static keys(login: string, address: string) {
    return { pair: `pair:${login.toLowerCase()}\u0000${address}`, address: `ip:${address}` };
  }

  /** Seconds to wait before this login may be tried from this address again, or 0. */
  retryAfter(login: string, address: string): number {
    const now = this.now();
    const { pair, address: ip } = LoginThrottle.keys(login, address);
    const until = Math.max(this.readyAt(pair, this.freePerPair, now), this.readyAt(ip, this.freePerAddress, now));
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  fail(login: string, address: string): void {
    const now = this.now();
    for (const key of Object.values(LoginThrottle.keys(login, address))) this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 100_000) this.forgetOld(now);
  }

  /** A success clears the pair's failures; the address keeps its count against other logins. */
  succeed(login: string, address: string): void {
    this.failures.delete(LoginThrottle.keys(login, address).pair);
  }

  /** The moment the next attempt is allowed: the last failure plus a wait that doubles past the free attempts. */
  private readyAt(key: string, free: number, now: number): number {
    const recent = this.recent(key, now);
    const over = recent.length - free;
    if (over < 0) return 0;
    const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(over, 30));
    return recent[recent.length - 1]! + delay;
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }

  private forgetOld(now: number): void {
    for (const [key, times] of this.failures) if (!times.some((t) => t > now - this.windowMs)) this.failures.delete(key);
  }
}
