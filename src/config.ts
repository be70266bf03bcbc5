import path from 'node:path';

export interface Config {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  host: string;
  secureCookies: boolean;
  loadDemo: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.KITAPHANA_DATA_DIR || 'data/kitaphana'),
    port: Number(env.PORT || 3000),
    host: env.HOST || '127.0.0.1',
    secureCookies: env.COOKIE_SECURE === 'true',
    loadDemo: env.KITAPHANA_DEMO !== 'false',
  };
}
