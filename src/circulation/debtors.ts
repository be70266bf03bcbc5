import type { Actor } from '../auth/actor.js';
import { forbidden } from '../shared/errors.js';
import type { Executor } from '../db/executor.js';
import { libraryToday } from '../shared/library-time.js';
import { overdueDays } from './dates.js';
import { authorsOfWorks, className, fullName } from './loan-views.js';
import { belongsTo } from '../auth/guard.js';

export interface ClassFilter {
  grade?: number;
  classLetter?: string;
}

export interface DebtorLoan {
  loanId: number;
  title: string;
  authors: string[];
  barcode: string;
  inventoryNumber: string;
  dueOn: string;
  overdueDays: number;
}

export interface Debtor {
  readerId: number;
  fullName: string;
  loans: DebtorLoan[];
}

/** Debtors of one class; grade null gathers the readers outside the classes (teachers, staff). */
export interface ClassDebtors {
  grade: number | null;
  classLetter: string | null;
  className: string | null;
  readers: Debtor[];
}

const collator = new Intl.Collator('kk');

/**
 * Which classes the actor may see debtors of. A class teacher sees the own class only (asking
 * for another class is forbidden); the library's staff see any class of the library.
 */
export function debtorScope(actor: Actor, filter: ClassFilter): { library: number; filter: ClassFilter } {
  const letter = filter.classLetter?.trim().toUpperCase() || undefined;
  if (belongsTo(actor, 'staff')) {
    return { library: actor.organisationId, filter: { grade: filter.grade, classLetter: letter } };
  }
  if (actor.role !== 'teacher' || actor.classGrade === null) throw forbidden();
  const own = { grade: actor.classGrade, classLetter: actor.classLetter ?? undefined };
  if (filter.grade !== undefined && filter.grade !== own.grade) throw forbidden();
  if (letter !== undefined && letter !== own.classLetter) throw forbidden();
  return { library: actor.organisationId, filter: own };
}

/** Readers with overdue loans on `today`, grouped by class, classes in order and readers by name. */
export async function listDebtors(db: Executor, actor: Actor, input: ClassFilter & { today?: string }): Promise<ClassDebtors[]> {
  const { library, filter } = debtorScope(actor, input);
  const today = input.today ?? (await libraryToday(db, library));
  let query = db
    .selectFrom('circulation.loans as l')
    .innerJoin('fund.copies as c', 'c.id', 'l.copy_id')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .innerJoin('readers.readers as r', 'r.id', 'l.reader_id')
    .select([
      'l.id as loanId',
      'l.due_on',
      'c.barcode',
      'c.inventory_number',
      'c.work_id',
      'w.title',
      'r.id as readerId',
      'r.last_name',
      'r.first_name',
      'r.middle_name',
      'r.grade',
      'r.class_letter',
      'r.sort_key',
    ])
    .where('l.organisation_id', '=', library)
    .where('l.returned_at', 'is', null)
    .where('l.due_on', '<', today);
  if (filter.grade !== undefined) query = query.where('r.grade', '=', filter.grade);
  if (filter.classLetter !== undefined) query = query.where('r.class_letter', '=', filter.classLetter);
  // a class teacher's list holds the class's present pupils, not those who left nor those whose data is blocked
  if (actor.role === 'teacher') query = query.where('r.status', '=', 'active').where('r.blocked_at', 'is', null);
  const rows = await query.orderBy('l.due_on').orderBy('l.id').execute();
  const authors = await authorsOfWorks(db, rows.map((r) => r.work_id));

  const classes = new Map<string, ClassDebtors>();
  const readers = new Map<number, Debtor & { sortKey: string }>();
  for (const row of rows) {
    const key = `${row.grade ?? ''}|${row.class_letter ?? ''}`;
    let group = classes.get(key);
    if (!group) {
      group = { grade: row.grade, classLetter: row.class_letter, className: className(row), readers: [] };
      classes.set(key, group);
    }
    let reader = readers.get(row.readerId);
    if (!reader) {
      reader = { readerId: row.readerId, fullName: fullName(row), loans: [], sortKey: row.sort_key };
      readers.set(row.readerId, reader);
      group.readers.push(reader);
    }
    reader.loans.push({
      loanId: row.loanId,
      title: row.title,
      authors: authors.get(row.work_id) ?? [],
      barcode: row.barcode,
      inventoryNumber: row.inventory_number,
      dueOn: row.due_on,
      overdueDays: overdueDays(row.due_on, today),
    });
  }
  return [...classes.values()].sort(compareClasses).map((group) => ({
    ...group,
    readers: (group.readers as (Debtor & { sortKey: string })[])
      .sort((a, b) => compareSortKeys(a.sortKey, b.sortKey) || collator.compare(a.fullName, b.fullName))
      .map(({ sortKey: _s, ...reader }) => reader),
  }));
}

/** Stored sort keys already encode the Kazakh alphabet: they compare as plain strings. */
function compareSortKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Classes by grade then letter in Kazakh alphabetical order; readers outside the classes last. */
function compareClasses(a: ClassDebtors, b: ClassDebtors): number {
  if (a.grade === null || b.grade === null) return a.grade === b.grade ? 0 : a.grade === null ? 1 : -1;
  return a.grade - b.grade || collator.compare(a.classLetter ?? '', b.classLetter ?? '');
}
