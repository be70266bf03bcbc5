import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, patch, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDateTime } from '../../format.js';
import { useSession } from '../../session.js';
import { useAction } from '../../useAction.js';
import type { PersonView } from '../../../../src/org/people.js';
import { TableScroll } from '../../components/TableScroll.js';

interface ReaderHit {
  id: number;
  fullName: string;
  className: string | null;
  barcode: string;
}

const EMPTY = { role: 'teacher', login: '', fullName: '', password: '', classGrade: '', classLetter: '', readerId: 0, readerLabel: '' };

/**
 * The library's accounts: who may sign in, as what, and when they last did. A librarian opens
 * accounts for teachers (with their class), pupils and parents (linked to a reader found by name or
 * card barcode), sets a new password for one who forgot it, and closes the account of one who left.
 */
export default function PeoplePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [people, setPeople] = useState<PersonView[] | null>(null);
  const [form, setForm] = useState(EMPTY);
  const [readerQuery, setReaderQuery] = useState('');
  const [readers, setReaders] = useState<ReaderHit[]>([]);
  const [passwordFor, setPasswordFor] = useState<number | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const { busy, error, setError, notice, setNotice, act } = useAction();
  const roles = me?.role === 'admin' ? ['librarian', 'teacher', 'student', 'parent'] : ['teacher', 'student', 'parent'];
  const needsReader = form.role === 'student' || form.role === 'parent';

  const load = () => get<PersonView[]>('/api/users').then(setPeople, setError);
  useEffect(() => void load(), []);

  const findReaders = () => {
    void act(async () => setReaders((await get<{ items: ReaderHit[] }>(`/api/readers${query({ q: readerQuery, limit: 10 })}`)).items));
  };

  const add = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      await post('/api/users', {
        login: form.login.trim(),
        password: form.password,
        fullName: form.fullName.trim(),
        role: form.role,
        organisationId: me!.organisationId,
        ...(form.role === 'teacher' ? { classGrade: Number(form.classGrade), classLetter: form.classLetter.trim() } : {}),
        ...(needsReader && form.readerId ? { readerId: form.readerId } : {}),
      });
      setNotice(t('people.added', { login: form.login.trim() }));
      setForm({ ...EMPTY, role: form.role });
      setReaders([]);
      await load();
    });
  };

  const change = (person: PersonView, body: Record<string, unknown>, message: string) =>
    act(async () => {
      await patch(`/api/users/${person.id}`, body);
      setNotice(message);
      setPasswordFor(null);
      setNewPassword('');
      await load();
    });

  const field = (name: keyof typeof EMPTY) => ({
    value: String(form[name]),
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
  });

  return (
    <section>
      <h1>{t('nav.admin.people')}</h1>
      <p className="muted">{t('people.intro')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}

      <form className="panel" onSubmit={add} aria-label={t('people.add')}>
        <h2>{t('people.add')}</h2>
        <div className="row">
          <div className="field">
            <label htmlFor="person-role">{t('people.role')}</label>
            <select id="person-role" value={form.role} onChange={(e) => setForm({ ...EMPTY, role: e.target.value })}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {t(`common.role.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="person-name">{t('people.fullName')}</label>
            <input id="person-name" required maxLength={300} {...field('fullName')} />
          </div>
          <div className="field">
            <label htmlFor="person-login">{t('people.login')}</label>
            <input id="person-login" required minLength={3} maxLength={100} autoComplete="off" {...field('login')} />
          </div>
          <div className="field">
            <label htmlFor="person-password">{t('people.password')}</label>
            <input id="person-password" type="password" required minLength={8} autoComplete="new-password" {...field('password')} />
          </div>
          {form.role === 'teacher' && (
            <>
              <div className="field">
                <label htmlFor="person-grade">{t('people.grade')}</label>
                <input id="person-grade" type="number" min={0} max={12} required {...field('classGrade')} />
              </div>
              <div className="field">
                <label htmlFor="person-letter">{t('people.letter')}</label>
                <input id="person-letter" required maxLength={5} {...field('classLetter')} />
              </div>
            </>
          )}
        </div>
        {needsReader && (
          <div className="field">
            <label htmlFor="person-reader">{t('people.reader')}</label>
            <div className="row">
              <input id="person-reader" value={readerQuery} onChange={(e) => setReaderQuery(e.target.value)} placeholder={t('people.readerHint')} />
              <button type="button" className="secondary" disabled={busy || !readerQuery.trim()} onClick={findReaders}>
                {t('people.find')}
              </button>
            </div>
            {form.readerId ? (
              <p>
                {t('people.linked', { reader: form.readerLabel })}
              </p>
            ) : (
              readers.length > 0 && (
                <ul className="plain-list">
                  {readers.map((r) => (
                    <li key={r.id}>
                      <button type="button" className="secondary" onClick={() => setForm({ ...form, readerId: r.id, readerLabel: `${r.fullName}${r.className ? `, ${r.className}` : ''}` })}>
                        {r.fullName}
                        {r.className ? `, ${r.className}` : ''} · {r.barcode}
                      </button>
                    </li>
                  ))}
                </ul>
              )
            )}
          </div>
        )}
        <button type="submit" disabled={busy || (needsReader && !form.readerId)}>
          {t('people.create')}
        </button>
      </form>

      <div className="panel">
        <TableScroll>
          <table className="card-table" data-testid="people">
            <thead>
              <tr>
                <th>{t('people.fullName')}</th>
                <th>{t('people.login')}</th>
                <th>{t('people.role')}</th>
                <th>{t('people.classOrReader')}</th>
                <th>{t('people.lastSeen')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(people ?? []).map((p) => {
                const mine = me?.role === 'admin' || ['teacher', 'student', 'parent'].includes(p.role);
                return (
                  <tr key={p.id} className={p.active ? undefined : 'muted'}>
                    <td data-label={t('people.fullName')}>
                      {p.fullName}
                      {!p.active && ` (${t('people.closed')})`}
                    </td>
                    <td data-label={t('people.login')}>{p.login}</td>
                    <td data-label={t('people.role')}>{t(`common.role.${p.role}`)}</td>
                    <td data-label={t('people.classOrReader')}>{p.role === 'teacher' ? `${p.classGrade ?? ''}${p.classLetter ?? ''}` : (p.readerName ?? '')}</td>
                    <td data-label={t('people.lastSeen')}>{p.lastSeenAt ? formatDateTime(p.lastSeenAt) : '—'}</td>
                    <td>
                      {mine && p.id !== me?.userId && (
                        <>
                          {passwordFor === p.id ? (
                            <form
                              className="row"
                              onSubmit={(e) => {
                                e.preventDefault();
                                void change(p, { password: newPassword }, t('people.passwordSet', { login: p.login }));
                              }}
                            >
                              <label className="visually-hidden" htmlFor={`password-${p.id}`}>
                                {t('people.newPassword')}
                              </label>
                              <input id={`password-${p.id}`} type="password" minLength={8} required autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />
                              <button type="submit" disabled={busy}>
                                {t('people.save')}
                              </button>
                            </form>
                          ) : (
                            <button type="button" className="secondary" disabled={busy || !p.active} onClick={() => setPasswordFor(p.id)}>
                              {t('people.newPassword')}
                            </button>
                          )}{' '}
                          <button
                            type="button"
                            className="secondary"
                            disabled={busy}
                            onClick={() => void change(p, { active: !p.active }, t(p.active ? 'people.closedNotice' : 'people.openedNotice', { login: p.login }))}
                          >
                            {t(p.active ? 'people.close' : 'people.open')}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      </div>
    </section>
  );
}
