import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './connect.js';

const srcRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Plain SQL migrations live beside the domain they belong to
 * (src/<domain>/migrations/NNNN_name.sql) and run in the order of their file names.
 */
export function listMigrationFiles(): string[] {
  const files: string[] = [];
  for (const domain of fs.readdirSync(srcRoot)) {
    const dir = path.join(srcRoot, domain, 'migrations');
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.sql')) files.push(path.join(dir, f));
  }
  return files.sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
}

class SqlFileProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of listMigrationFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      migrations[path.basename(file, '.sql')] = {
        up: async (db) => {
          await sql.raw(text).execute(db);
        },
      };
    }
    return migrations;
  }
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  // a start with nothing to migrate (the usual one) asks one question instead of the Migrator's dozen
  if (await allApplied(db)) return [];
  // Each area numbers its own migrations (catalog 01xx, readers 03xx, textbooks 07xx, …), so an area's
  // next migration often sorts before another area's newest one: pending ones still run in name order.
  const migrator = new Migrator({ db, provider: new SqlFileProvider(), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function allApplied(db: Db): Promise<boolean> {
  const files = listMigrationFiles().map((f) => path.basename(f, '.sql'));
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = new Set(rows.map((r) => r.name));
    // the same set exactly: a database that knows a migration the files do not goes to the Migrator, which refuses it
    return applied.size === files.length && files.every((f) => applied.has(f));
  } catch {
    return false; // a new database: no table of migrations yet
  }
}
