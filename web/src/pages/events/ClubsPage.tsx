import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Field, FormRow } from '../../components/Field.js';
import { formatDate, today } from '../../format.js';
import { isStaff, useSession } from '../../session.js';
import { useAction } from '../../useAction.js';
import { TableScroll } from '../../components/TableScroll.js';

interface Club {
  id: number;
  name: string;
  genre: string | null;
  leader: string | null;
  meets: string | null;
  members: number;
  sessions: number;
}
interface ClubDetail extends Club {
  memberList: { id: number; readerId: number; name: string; className: string | null; joinedOn: string; leftOn: string | null }[];
  sessionList: { id: number; heldOn: string; topic: string; guests: number; present: number[] }[];
}

/** Clubs of the library (literary clubs by genre and others): members, sessions and attendance. */
export default function ClubsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const staff = isStaff(me);
  const [clubs, setClubs] = useState<Club[]>([]);
  const [open, setOpen] = useState<ClubDetail | null>(null);
  const [draft, setDraft] = useState({ name: '', genre: '', leader: '', meets: '' });
  const [readerQ, setReaderQ] = useState('');
  const [readers, setReaders] = useState<{ id: number; fullName: string; grade: number | null; classLetter: string | null }[]>([]);
  const [session, setSession] = useState({ heldOn: today(), topic: '', guests: '0', present: [] as number[] });

  const openClub = async (id: number) => setOpen(await get<ClubDetail>(`/api/events/clubs/${id}`));
  const reload = async () => {
    setClubs((await get<{ items: Club[] }>('/api/events/clubs')).items);
    if (open) await openClub(open.id);
  };
  const { busy, error, setError, act } = useAction(reload);
  useEffect(() => void reload().catch(setError), []);

  const findReaders = () => get<{ items: typeof readers }>(`/api/readers${query({ q: readerQ, limit: 10 })}`).then((r) => setReaders(r.items), setError);

  return (
    <section>
      <h1>{t('nav.events.clubs')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th>{t('events.club.name')}</th>
              <th>{t('events.club.genre')}</th>
              <th>{t('events.club.leader')}</th>
              <th>{t('events.club.meets')}</th>
              <th className="num">{t('events.club.members')}</th>
              <th className="num">{t('events.club.sessions')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {clubs.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.genre ?? ''}</td>
                <td>{c.leader ?? ''}</td>
                <td>{c.meets ?? ''}</td>
                <td className="num">{c.members}</td>
                <td className="num">{c.sessions}</td>
                <td className="actions">
                  <button type="button" className="secondary" onClick={() => void openClub(c.id).catch(setError)}>{t('events.club.open')}</button>
                </td>
              </tr>
            ))}
            {clubs.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">{t('events.club.empty')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableScroll>
      {staff && (
        <FormRow onSubmit={() => void act(() => post('/api/events/clubs', { name: draft.name, genre: draft.genre || null, leader: draft.leader || null, meets: draft.meets || null }))}>
          <h2>{t('events.club.add')}</h2>
          {(['name', 'genre', 'leader', 'meets'] as const).map((k) => (
            <Field key={k} id={`club-${k}`} label={t(`events.club.${k}`)}>
              <input id={`club-${k}`} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} required={k === 'name'} />
            </Field>
          ))}
          <Field>
            <button type="submit" disabled={busy}>{t('events.club.add')}</button>
          </Field>
        </FormRow>
      )}
      {open && (
        <div className="panel">
          <h2>{open.name}</h2>
          <h3>{t('events.club.members')}</h3>
          <ul className="plain">
            {open.memberList.filter((m) => !m.leftOn).map((m) => (
              <li key={m.id}>
                {m.name} {m.className ? `(${m.className})` : ''} — {formatDate(m.joinedOn)}
                {staff && <button type="button" className="secondary" disabled={busy} onClick={() => void act(() => post(`/api/events/club-members/${m.id}/leave`, {}))}>{t('events.club.leave')}</button>}
              </li>
            ))}
          </ul>
          {staff && (
            <FormRow className="row" onSubmit={() => void findReaders()}>
              <Field id="club-reader" label={t('events.club.readerSearch')}>
                <input id="club-reader" value={readerQ} onChange={(e) => setReaderQ(e.target.value)} />
              </Field>
              <ul className="plain">
                {readers.map((r) => (
                  <li key={r.id}>
                    <button type="button" className="secondary" disabled={busy} onClick={() => void act(() => post(`/api/events/clubs/${open.id}/members`, { readerId: r.id }))}>{t('events.club.addMember')}</button> {r.fullName} {r.grade !== null ? `${r.grade} ${r.classLetter ?? ''}` : ''}
                  </li>
                ))}
              </ul>
            </FormRow>
          )}
          <h3>{t('events.club.sessions')}</h3>
          <TableScroll label={t('events.club.sessions')}>
            <table>
              <thead>
                <tr>
                  <th>{t('events.held.date')}</th>
                  <th>{t('events.club.topic')}</th>
                  <th className="num">{t('events.club.present')}</th>
                  <th className="num">{t('events.club.guests')}</th>
                </tr>
              </thead>
              <tbody>
                {open.sessionList.map((s) => (
                  <tr key={s.id}>
                    <td>{formatDate(s.heldOn)}</td>
                    <td>{s.topic}</td>
                    <td className="num">{s.present.length}</td>
                    <td className="num">{s.guests}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {staff && (
            <FormRow className="row" onSubmit={() => void act(() => post(`/api/events/clubs/${open.id}/sessions`, { heldOn: session.heldOn, topic: session.topic, guests: Number(session.guests), present: session.present }))}>
              <h3>{t('events.club.session')}</h3>
              <Field id="ses-date" label={t('events.held.date')}>
                <input id="ses-date" type="date" value={session.heldOn} onChange={(e) => setSession({ ...session, heldOn: e.target.value })} />
              </Field>
              <Field id="ses-topic" label={t('events.club.topic')}>
                <input id="ses-topic" value={session.topic} onChange={(e) => setSession({ ...session, topic: e.target.value })} required />
              </Field>
              <Field id="ses-guests" label={t('events.club.guests')}>
                <input id="ses-guests" type="number" min={0} value={session.guests} onChange={(e) => setSession({ ...session, guests: e.target.value })} />
              </Field>
              <fieldset className="field">
                <legend>{t('events.club.present')}</legend>
                {open.memberList.filter((m) => !m.leftOn).map((m) => (
                  <label key={m.id}>
                    <input
                      type="checkbox"
                      checked={session.present.includes(m.id)}
                      onChange={(e) => setSession({ ...session, present: e.target.checked ? [...session.present, m.id] : session.present.filter((p) => p !== m.id) })}
                    />{' '}
                    {m.name}
                  </label>
                ))}
              </fieldset>
              <Field>
                <button type="submit" disabled={busy}>{t('events.club.session')}</button>
              </Field>
            </FormRow>
          )}
        </div>
      )}
    </section>
  );
}
