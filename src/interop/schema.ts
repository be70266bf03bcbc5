import type { Generated } from 'kysely';

export type ImportStatus = 'running' | 'done' | 'failed' | 'undone';
export type RecordAction = 'created' | 'merged' | 'skipped' | 'failed';

export interface ImportBatchTable {
  id: Generated<number>;
  organisation_id: number;
  created_by: number | null;
  file_name: string;
  syntax: 'iso2709' | 'marcxml';
  format: string;
  encoding: string;
  options: Generated<unknown>;
  status: Generated<ImportStatus>;
  total: Generated<number>;
  processed: Generated<number>;
  created: Generated<number>;
  merged: Generated<number>;
  skipped: Generated<number>;
  failed: Generated<number>;
  warnings: Generated<number>;
  copies: Generated<number>;
  created_authors: Generated<number[]>;
  error: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
  undone_at: Date | null;
  undone_by: number | null;
}

export interface SourceRecordTable {
  id: Generated<number>;
  batch_id: number;
  position: number;
  byte_offset: number | null;
  format: string | null;
  encoding: string | null;
  raw: Uint8Array | null;
  xml: string | null;
  control_number: string | null;
  isbn: string | null;
  work_id: number | null;
  action: RecordAction;
  previous: unknown | null;
  copy_ids: Generated<number[]>;
  subjects: Generated<string[]>;
  notes: Generated<string[]>;
  created_at: Generated<Date>;
}

export interface ImportProblemTable {
  id: Generated<number>;
  batch_id: number;
  position: number;
  byte_offset: number | null;
  severity: 'error' | 'warning';
  code: string;
  params: Generated<unknown>;
}

export interface DeletedRecordTable {
  work_id: number;
  organisation_id: number | null;
  deleted_at: Generated<Date>;
}

// Tables of MARC exchange (import batches, original records, OAI-PMH deletions).
export interface HoldingsProfileTable {
  id: Generated<number>;
  organisation_id: number;
  key: string;
  name: string;
  fields: unknown;
  updated_at: Generated<Date>;
}

export interface InteropTables {
  'interop.holdings_profiles': HoldingsProfileTable;
  'interop.import_batches': ImportBatchTable;
  'interop.source_records': SourceRecordTable;
  'interop.import_problems': ImportProblemTable;
  'interop.deleted_records': DeletedRecordTable;
}
