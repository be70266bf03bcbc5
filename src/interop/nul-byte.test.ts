import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import type { DatabaseHandle } from '../db/connect.js';
import { getImport, importMarc, previewImport } from './imports.js';
import { marcFile } from './test-helpers.js';

/** A file whose second record has a 0x00 byte inside a data field (the record's length unchanged). */
function fileWithNulInSecondRecord(): { bytes: Uint8Array; records: number } {
  const bytes = new Uint8Array(fs.readFileSync(marcFile('evergreen-FSL-marc21-utf8.mrc')));
  let records = 0;
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x1d) continue;
    records++;
    if (records === 2) {
      // the base address of data: the first field's data follows; put the NUL into the middle of the record's data
      const base = Number(new TextDecoder().decode(bytes.slice(start + 12, start + 17)));
      const at = start + base + Math.floor((i - start - base) / 2);
      const j = bytes[at] === 0x1e || bytes[at] === 0x1f ? at + 1 : at;
      bytes[j] = 0x00;
    }
    start = i + 1;
  }
  return { bytes, records };
}

describe.each(BACKENDS)('a MARC record with a 0x00 byte on %s', (backend) => {
  let database: DatabaseHandle;
  let tenants: Tenants;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('fails that record only: the preview reports it and the import brings the others', async () => {
    const { bytes, records } = fileWithNulInSecondRecord();
    expect(records).toBeGreaterThan(2);
    const preview = await previewImport(database.db, tenants.librarianA, bytes, {});
    expect(preview.total).toBe(records);
    expect(preview.errors).toBe(1);
    expect(preview.readable).toBe(records - 1);
    const batch = await importMarc(database.db, tenants.librarianA, bytes, { fileName: 'fsl.mrc', matching: 'skip', holdings: false });
    const report = await getImport(database.db, tenants.librarianA, batch);
    expect(report).toMatchObject({ status: 'done' });
    expect(JSON.stringify(report)).toContain('interop.nul_byte');
  });
});
