/**
 * Class roster import in two steps: a preview that writes nothing, then the import of
 * the valid rows in one transaction. A roster with errors is refused as a whole unless
 * the librarian chooses to skip the broken rows.
 */
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { AppError, invalid, isUniqueViolation } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { isValidGrade, normaliseClassLetter } from './classes.js';
import { fullNameOf, insertReader, insertReaders, issueReaderNumbers } from './readers.js';
import {
  duplicateKey,
  parseRosterInTurns,
  readRosterFile,
  type RecognisedColumn,
  type RosterDefaults,
  type RosterEncoding,
  type RosterRow,
  type RosterTable,
} from './roster.js';
import { inTransaction } from '../db/transaction.js';
import { staffLibrary } from '../auth/guard.js';

export interface RosterFile {
  bytes: Uint8Array;
  filename: string;
}

export interface ImportOptions {
  encoding?: RosterEncoding | 'auto';
  grade?: number;
  classLetter?: string | null;
}

export interface ImportPreview {
  format: RosterTable['format'];
  encoding: RosterEncoding | null;
  delimiter: string | null;
  columns: RecognisedColumn[];
  rows: RosterRow[];
  validCount: number;
  invalidCount: number;
}

export interface ImportedReader {
  line: number;
  readerId: number;
  registrationNumber: string;
  barcode: string;
  fullName: string;
}

export interface ImportResult {
  format: RosterTable['format'];
  encoding: RosterEncoding | null;
  delimiter: string | null;
  imported: ImportedReader[];
  rejected: Pick<RosterRow, 'line' | 'errors'>[];
}

function rosterDefaults(options: ImportOptions): RosterDefaults {
  if (options.grade === undefined) {
    if (options.classLetter) throw invalid('readers.letter_without_grade');
    return {};
  }
  if (!isValidGrade(options.grade)) throw invalid('readers.bad_grade', { grade: options.grade });
  if (!options.classLetter) return { grade: options.grade, classLetter: null };
  const classLetter = normaliseClassLetter(options.classLetter);
  if (!classLetter) throw invalid('readers.bad_class_letter', { letter: options.classLetter });
  return { grade: options.grade, classLetter };
}

/** Reads the roster and checks every row, also against the readers already on file. Writes nothing. */
export async function previewImport(db: Executor, actor: Actor | null, file: RosterFile, options: ImportOptions = {}): Promise<ImportPreview> {
  const organisationId = staffLibrary(actor);
  const table = await readRosterFile(file.bytes, file.filename, options.encoding ?? 'auto');
  const { columns, rows } = await parseRosterInTurns(table, { ...rosterDefaults(options), today: await libraryToday(db, organisationId) });
  await markExistingDuplicates(db, organisationId, rows);
  const invalidCount = rows.filter((r) => r.errors.length > 0).length;
  return {
    format: table.format,
    encoding: table.encoding,
    delimiter: table.delimiter,
    columns,
    rows,
    validCount: rows.length - invalidCount,
    invalidCount,
  };
}

/** Flags rows whose child is already a reader of the library: same name, birth date and class. */
async function markExistingDuplicates(db: Executor, organisationId: number, rows: RosterRow[]): Promise<void> {
  const grades = [...new Set(rows.map((r) => r.values.grade).filter((g): g is number => g !== null))];
  if (grades.length === 0) return;
  const existing = await db
    .selectFrom('readers.readers')
    .select(['registration_number', 'last_name', 'first_name', 'middle_name', 'birth_date', 'grade', 'class_letter'])
    .where('organisation_id', '=', organisationId)
    .where('grade', 'in', grades)
    .execute();
  const known = new Map(
    existing.map((r) => [
      duplicateKey({
        lastName: r.last_name,
        firstName: r.first_name,
        middleName: r.middle_name,
        birthDate: r.birth_date,
        grade: r.grade,
        classLetter: r.class_letter,
      }),
      r.registration_number,
    ]),
  );
  for (const row of rows) {
    if (!row.values.lastName || !row.values.firstName) continue;
    const registrationNumber = known.get(duplicateKey(row.values));
    if (registrationNumber) row.errors.push({ code: 'readers.import.duplicate_existing', params: { registrationNumber } });
  }
}

/** Rows written per transaction: a chunk holds the embedded database's one lane for tens of milliseconds. */
export const IMPORT_CHUNK_ROWS = 200;

/**
 * Imports the roster's valid rows as student readers. With errors and without `skipInvalid` it
 * refuses with 422 and the per-row report in the error's details.
 *
 * Inside the caller's transaction everything is written there. Otherwise the rows go in small
 * transactions with a pause between them, so that the desk's requests pass while a large roster is
 * written (PGlite serves one transaction at a time: 5,000 rows in one held every request for seconds);
 * should a chunk fail, the readers already written are removed again and the numbers given back, so
 * the roster is still all or nothing.
 */
export async function importRoster(
  db: Executor,
  actor: Actor | null,
  file: RosterFile,
  options: ImportOptions & { skipInvalid?: boolean } = {},
): Promise<ImportResult> {
  const organisationId = staffLibrary(actor);
  const preview = await previewImport(db, actor, file, options);
  if (preview.invalidCount > 0 && !options.skipInvalid) {
    throw new AppError('readers.import.has_errors', 422, { invalid: preview.invalidCount }, preview);
  }
  const valid = preview.rows.filter((r) => r.errors.length === 0);
  if (valid.length === 0) throw new AppError('readers.import.nothing_to_import', 422, {}, preview);
  const rejected = preview.rows.filter((r) => r.errors.length > 0).map(({ line, errors }) => ({ line, errors }));

  const inputs = (rows: RosterRow[], numbers: ReaderNumbers[]) =>
    rows.map((row, i) => ({ ...row.values, lastName: row.values.lastName!, firstName: row.values.firstName!, kind: 'student' as const, ...numbers[i]! }));
  const writeRows = async (trx: Executor, rows: RosterRow[], numbers: ReaderNumbers[], oneByOne = false) => {
    const readers = [];
    if (oneByOne) for (const input of inputs(rows, numbers)) readers.push(await insertReader(trx, organisationId, input));
    else readers.push(...(await insertReaders(trx, organisationId, inputs(rows, numbers))));
    return readers.map((reader, i) => ({
      line: rows[i]!.line,
      readerId: reader.id,
      registrationNumber: reader.registration_number,
      barcode: reader.barcode,
      fullName: fullNameOf(reader),
    }));
  };
  const auditImport = (trx: Executor, imported: ImportedReader[]) =>
    audit(trx, actor, 'import', 'reader', null, {
      filename: file.filename,
      format: preview.format,
      imported: imported.length,
      rejected: rejected.length,
      readerIds: imported.map((r) => r.readerId),
    });
  const result = (imported: ImportedReader[]): ImportResult => ({ format: preview.format, encoding: preview.encoding, delimiter: preview.delimiter, imported, rejected });

  if (db.isTransaction) {
    const numbers = await issueReaderNumbers(db, organisationId, valid.length);
    const imported = await writeRows(db, valid, numbers, true);
    await auditImport(db, imported);
    return result(imported);
  }

  const { numbers, counters } = await inTransaction(db, async (trx) => ({
    numbers: await issueReaderNumbers(trx, organisationId, valid.length),
    counters: await trx
      .selectFrom('fund.counters')
      .select(['name', 'next_value'])
      .where('organisation_id', '=', organisationId)
      .where('name', 'in', ['reader_number', 'reader_barcode'])
      .execute(),
  }));
  const imported: ImportedReader[] = [];
  try {
    for (let from = 0; from < valid.length; from += IMPORT_CHUNK_ROWS) {
      const started = performance.now();
      const last = from + IMPORT_CHUNK_ROWS >= valid.length;
      const written = await inTransaction(db, async (trx) => {
        const rows = await writeRows(trx, valid.slice(from, from + IMPORT_CHUNK_ROWS), numbers.slice(from, from + IMPORT_CHUNK_ROWS));
        if (last) await auditImport(trx, [...imported, ...rows]);
        return rows;
      });
      imported.push(...written);
      // as long again for the others as the chunk took
      if (!last) await new Promise((resolve) => setTimeout(resolve, Math.max(2, performance.now() - started)));
    }
  } catch (err) {
    let reason = err;
    if (isUniqueViolation(err)) {
      // the chunk again row by row, only to name the number that was taken; it is rolled back
      const from = imported.length;
      reason = await inTransaction(db, (trx) => writeRows(trx, valid.slice(from, from + IMPORT_CHUNK_ROWS), numbers.slice(from, from + IMPORT_CHUNK_ROWS), true)).then(
        () => err,
        (named: unknown) => named,
      );
    }
    await undoPartialImport(db, organisationId, imported, valid.length, counters);
    throw reason;
  }
  return result(imported);
}

type ReaderNumbers = Awaited<ReturnType<typeof issueReaderNumbers>>[number];

/** Removes the readers a failed import wrote and gives its numbers back unless others were taken since. */
async function undoPartialImport(
  db: Executor,
  organisationId: number,
  imported: ImportedReader[],
  count: number,
  counters: { name: string; next_value: number }[],
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const ids = imported.map((r) => r.readerId);
    for (let i = 0; i < ids.length; i += 1000) {
      await trx.deleteFrom('readers.readers').where('organisation_id', '=', organisationId).where('id', 'in', ids.slice(i, i + 1000)).execute();
    }
    for (const counter of counters) {
      await trx
        .updateTable('fund.counters')
        .set({ next_value: Number(counter.next_value) - count })
        .where('organisation_id', '=', organisationId)
        .where('name', '=', counter.name)
        .where('next_value', '=', counter.next_value)
        .execute();
    }
  });
}
