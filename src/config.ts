import path from 'node:path';

export interface Config {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  host: string;
  secureCookies: boolean;
  loadDemo: boolean;
  /**
   * Addresses (or CIDR ranges) of the reverse proxies in front of the server. Only a request that
   * comes from one of them may name the client's address in X-Forwarded-For; from anyone else the
   * header is ignored, so that a client cannot pose as another address to slip past the sign-in throttle.
   */
  trustedProxies: string[];
  /** Days a data folder kept aside by a restore stays before it is removed. */
  keptFolderDays: number;
}

const LOOPBACK = /^(127\.|::1$|localhost$)/;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.KITAPHANA_DATA_DIR || 'data/kitaphana'),
    port: Number(env.PORT || 3000),
    host: env.HOST || '127.0.0.1',
    // off loopback the cookie is Secure: a session sent over plain HTTP on the school network could be read
    secureCookies: env.COOKIE_SECURE === 'true' || !LOOPBACK.test(env.HOST || '127.0.0.1'),
    loadDemo: env.KITAPHANA_DEMO !== 'false',
    trustedProxies: (env.KITAPHANA_TRUSTED_PROXIES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    keptFolderDays: /^\d+$/.test(env.KITAPHANA_RESTORE_KEEP_DAYS ?? '') ? Number(env.KITAPHANA_RESTORE_KEEP_DAYS) : 7,
  };
}
