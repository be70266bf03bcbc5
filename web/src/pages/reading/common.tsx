import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get } from '../../api.js';

export interface Period {
  from: string;
  to: string;
  label: string;
  kind: 'year' | 'school_year';
}

export interface ReadingRecord {
  id: number;
  readerId: number;
  readerName: string;
  className: string | null;
  workId: number | null;
  title: string;
  author: string | null;
  source: 'loan' | 'reading_room' | 'self';
  readOn: string;
  schoolYear: string;
  pages: number | null;
  minutes: number | null;
  note: string | null;
  status: 'pending' | 'confirmed' | 'rejected';
}

export interface ClassStanding {
  organisationId: number;
  organisationName: string;
  className: string;
  pupils: number;
  books: number;
  readers: number;
  booksPerPupil: number;
  rank: number;
}

export interface ReaderStanding {
  readerId: number;
  name: string | null;
  className: string | null;
  kind: string;
  books: number;
  pages: number;
  rank: number;
}

export interface Challenge {
  id: number;
  title: string;
  startsOn: string;
  endsOn: string;
  days: number;
  minutesPerDay: number;
  entrants: number;
}

export interface ChallengeCard {
  challenge: Challenge;
  readerId: number;
  readerName: string;
  className: string | null;
  days: { day: string; index: number; state: 'stamped' | 'logged' | 'missed' | 'today' | 'ahead'; minutes: number | null; note: string | null }[];
  stamped: number;
  missed: number;
  logged: number;
}

/** The school year a date falls in, as the server counts it (September to August). */
export function schoolYearOf(date: string): string {
  const y = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 9 ? y : y - 1;
  return `${start}-${start + 1}`;
}

export function todayLocal(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The query of a period: `schoolYear=2024-2025` or `year=2025`. */
export function periodQuery(value: string): string {
  return /^\d{4}-\d{4}$/.test(value) ? `schoolYear=${value}` : `year=${value}`;
}

/** A choice of the current and past school years and calendar years. */
export function PeriodPicker({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const current = schoolYearOf(todayLocal());
  const start = Number(current.slice(0, 4));
  const schoolYears = [0, 1, 2].map((i) => `${start - i}-${start - i + 1}`);
  const years = [0, 1, 2].map((i) => String(Number(todayLocal().slice(0, 4)) - i));
  return (
    <label className="period-picker">
      {t('reading.period')}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <optgroup label={t('reading.schoolYear')}>
          {schoolYears.map((y) => (
            <option key={y} value={y}>
              {t('reading.schoolYearOption', { year: y })}
            </option>
          ))}
        </optgroup>
        <optgroup label={t('reading.calendarYear')}>
          {years.map((y) => (
            <option key={y} value={y}>
              {t('reading.yearOption', { year: y })}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}

export function useCurrentPeriod() {
  return useState(schoolYearOf(todayLocal()));
}

/** A name in the standings, or "reader of class 5Ә" where it may not be shown. */
export function displayName(t: (k: string, o?: Record<string, unknown>) => string, r: { name: string | null; className: string | null }): string {
  if (r.name) return r.className ? `${r.name} (${r.className})` : r.name;
  return r.className ? t('reading.readerOfClass', { className: r.className }) : t('reading.aReader');
}

interface ReaderHit {
  id: number;
  fullName: string;
  className: string | null;
}

/** Finds a reader of the library by name, number or barcode. */
export function ReaderPicker({ onPick, label }: { onPick: (r: ReaderHit) => void; label?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<ReaderHit[]>([]);
  useEffect(() => {
    if (q.trim().length < 2) {
      setHits([]);
      return;
    }
    const timer = setTimeout(() => {
      get<{ items: ReaderHit[] }>(`/api/readers?q=${encodeURIComponent(q.trim())}&limit=8`).then((r) => setHits(r.items), () => setHits([]));
    }, 250);
    return () => clearTimeout(timer);
  }, [q]);
  return (
    <div className="reader-picker">
      <label>
        {label ?? t('reading.findReader')} <input value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('reading.findReaderHint')} />
      </label>
      {hits.length > 0 && (
        <ul className="picker-hits">
          {hits.map((h) => (
            <li key={h.id}>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  onPick(h);
                  setQ('');
                  setHits([]);
                }}
              >
                {h.fullName}
                {h.className ? ` · ${h.className}` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A progress bar toward a goal. */
export function Progress({ value, goal, label }: { value: number; goal: number; label: string }) {
  const pct = Math.min(100, Math.round((value / goal) * 100));
  return (
    <div className="reading-progress" role="progressbar" aria-valuemin={0} aria-valuemax={goal} aria-valuenow={value} aria-label={label}>
      <div className="reading-progress-bar" style={{ width: `${pct}%` }} />
      <span className="reading-progress-text">
        {value} / {goal}
      </span>
    </div>
  );
}

/** A 30-day card: one square per day, stamped, logged, missed, today or ahead. */
export function ChallengeGrid({ card, onStamp, busy }: { card: ChallengeCard; onStamp?: (day: string) => void; busy?: boolean }) {
  const { t } = useTranslation();
  return (
    <ol className="challenge-grid" aria-label={card.challenge.title}>
      {card.days.map((d) => (
        <li key={d.day} className={`day day-${d.state}`} title={`${d.day} · ${t(`reading.day.${d.state}`)}${d.note ? ` · ${d.note}` : ''}`}>
          <span className="day-index">{d.index}</span>
          {/* a plain span may not carry a name (ARIA): the sign is shown, its meaning is read */}
          <span className="day-mark" aria-hidden="true">
            {d.state === 'stamped' ? '★' : d.state === 'logged' ? '✎' : d.state === 'missed' ? '×' : ''}
          </span>
          <span className="visually-hidden">{t(`reading.day.${d.state}`)}</span>
          {onStamp && d.state !== 'stamped' && d.state !== 'ahead' && (
            <button type="button" className="secondary day-stamp" disabled={busy} onClick={() => onStamp(d.day)} aria-label={t('reading.stampDay', { day: d.index })}>
              {t('reading.stamp')}
            </button>
          )}
        </li>
      ))}
    </ol>
  );
}
