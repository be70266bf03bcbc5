/**
 * Class roster import in two steps: a preview that writes nothing, then the import of
 * the valid rows in one transaction. A roster with errors is refused as a whole unless
 * the librarian chooses to skip the broken rows.
 */
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { AppError, invalid } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { isValidGrade, normaliseClassLetter } from './classes.js';
import { fullNameOf, insertReader, issueReaderNumbers } from './readers.js';
import {
  duplicateKey,
  parseRoster,
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
  const { columns, rows } = parseRoster(table, { ...rosterDefaults(options), today: await libraryToday(db, organisationId) });
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

/**
 * Imports the roster's valid rows as student readers in one transaction (the caller's, if any), so that a
 * failure on any row leaves nothing behind. With errors and without `skipInvalid` it refuses
 * with 422 and the per-row report in the error's details.
 */
export async function importRoster(
  db: Executor,
  actor: Actor | null,
  file: RosterFile,
  options: ImportOptions & { skipInvalid?: boolean } = {},
): Promise<ImportResult> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const preview = await previewImport(trx, actor, file, options);
    if (preview.invalidCount > 0 && !options.skipInvalid) {
      throw new AppError('readers.import.has_errors', 422, { invalid: preview.invalidCount }, preview);
    }
    const valid = preview.rows.filter((r) => r.errors.length === 0);
    if (valid.length === 0) throw new AppError('readers.import.nothing_to_import', 422, {}, preview);

    const numbers = await issueReaderNumbers(trx, organisationId, valid.length);
    const imported: ImportedReader[] = [];
    for (const [i, row] of valid.entries()) {
      const reader = await insertReader(trx, organisationId, {
        ...row.values,
        lastName: row.values.lastName!,
        firstName: row.values.firstName!,
        kind: 'student',
        ...numbers[i]!,
      });
      imported.push({
        line: row.line,
        readerId: reader.id,
        registrationNumber: reader.registration_number,
        barcode: reader.barcode,
        fullName: fullNameOf(reader),
      });
    }
    const rejected = preview.rows.filter((r) => r.errors.length > 0).map(({ line, errors }) => ({ line, errors }));
    await audit(trx, actor, 'import', 'reader', null, {
      filename: file.filename,
      format: preview.format,
      imported: imported.length,
      rejected: rejected.length,
      readerIds: imported.map((r) => r.readerId),
    });
    return { format: preview.format, encoding: preview.encoding, delimiter: preview.delimiter, imported, rejected };
  });
}
