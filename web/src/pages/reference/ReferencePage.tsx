import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post, query, upload } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { CheckField, Field, FormRow } from '../../components/Field.js';
import { TableScroll } from '../../components/TableScroll.js';
import { formatDate, formatDateTime, formatMoney, today } from '../../format.js';
import { useAction } from '../../useAction.js';

const KINDS = ['thematic', 'address', 'clarifying', 'factographic'] as const;
const GROUPS = ['1-4', '5-9', '10-11', 'teachers', 'parents', 'others'] as const;
const LANGS = ['kk', 'ru', 'en', 'other'] as const;
const TABS = ['log', 'questions', 'unmet', 'lists', 'periodicals', 'documents'] as const;

interface Request { id: number; askedOn: string; kind: string; question: string; answer: string | null; readerGroup: string; language: string; virtual: boolean }
interface Question { id: number; askedAt: string; question: string; answer: string | null; readerGroup: string; className: string | null }
interface Unmet { id: number; notedOn: string; title: string; author: string | null; times: number; status: string; source: string }
interface Periodical { id: number; title: string; language: string; forChildren: boolean; halves: number[]; issuesExpected: number; issuesReceived: number; priceTiyn: number }
interface List { id: number; kind: string; title: string; audience: string | null; items: number }
interface Hit { workId: number; title: string; authors: { name: string }[] }
interface Doc { id: number; title: string; authors: string | null; pages: number; access: string; fileSize: number; views: number; downloads: number }

/** The reference service: the log of references, pupils' questions, unmet requests, periodicals and digitised documents. */
export default function ReferencePage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<(typeof TABS)[number]>('log');
  const [requests, setRequests] = useState<Request[]>([]);
  const [questions, setQuestions] = useState<Question[]>([]);
  const [unmet, setUnmet] = useState<Unmet[]>([]);
  const [periodicals, setPeriodicals] = useState<Periodical[]>([]);
  const [docs, setDocs] = useState<Doc[]>([]);
  const [draft, setDraft] = useState({ askedOn: today(), kind: 'thematic', question: '', answer: '', readerGroup: '5-9', language: 'kk', virtual: false });
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const [miss, setMiss] = useState({ title: '', author: '', source: 'desk' });
  const [per, setPer] = useState({ title: '', language: 'kk', forChildren: false });
  const [doc, setDoc] = useState({ title: '', access: 'readers', licenceNote: '' });
  const [file, setFile] = useState<File | null>(null);
  const [lists, setLists] = useState<List[]>([]);
  const [listDraft, setListDraft] = useState({ kind: 'recommendation', title: '', audience: '' });
  const [picked, setPicked] = useState<Hit[]>([]);
  const [search, setSearch] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const year = Number(today().slice(0, 4));

  const reload = async () => {
    if (tab === 'log') setRequests((await get<{ items: Request[] }>('/api/reference/requests')).items);
    if (tab === 'questions') setQuestions((await get<{ items: Question[] }>('/api/reference/questions')).items);
    if (tab === 'unmet') setUnmet((await get<{ items: Unmet[] }>('/api/reference/unmet')).items);
    if (tab === 'periodicals') setPeriodicals((await get<{ items: Periodical[] }>(`/api/reference/periodicals${query({ year })}`)).items);
    if (tab === 'lists') setLists((await get<{ items: List[] }>('/api/reference/lists')).items);
    if (tab === 'documents') setDocs((await get<{ items: Doc[] }>('/api/reference/documents')).items);
  };
  const { busy, error, setError, notice, setNotice, act } = useAction(reload);
  useEffect(() => void reload().catch(setError), [tab]);

  function logRequest() {
    void act(async () => {
      await post('/api/reference/requests', { ...draft, answer: draft.answer || null });
      setDraft({ ...draft, question: '', answer: '' });
      setNotice(t('reference.saved'));
    });
  }

  return (
    <section>
      <h1>{t('nav.reference.log')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <div className="banner banner-ok" role="status">{notice}</div>}
      <div className="row" role="tablist">
        {TABS.map((x) => (
          <button key={x} type="button" role="tab" aria-selected={tab === x} className={tab === x ? '' : 'secondary'} onClick={() => setTab(x)}>
            {t(`reference.tab.${x}`)}
          </button>
        ))}
      </div>

      {tab === 'log' && (
        <>
          <FormRow onSubmit={logRequest}>
            <Field id="rq-date" label={t('reference.date')}>
              <input id="rq-date" type="date" value={draft.askedOn} onChange={(e) => setDraft({ ...draft, askedOn: e.target.value })} />
            </Field>
            <Field id="rq-kind" label={t('reference.kind')}>
              <select id="rq-kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value })}>
                {KINDS.map((k) => <option key={k} value={k}>{t(`reference.kind.${k}`)}</option>)}
              </select>
            </Field>
            <Field id="rq-q" label={t('reference.question')}>
              <input id="rq-q" value={draft.question} onChange={(e) => setDraft({ ...draft, question: e.target.value })} required />
            </Field>
            <Field id="rq-a" label={t('reference.answer')}>
              <input id="rq-a" value={draft.answer} onChange={(e) => setDraft({ ...draft, answer: e.target.value })} />
            </Field>
            <Field id="rq-group" label={t('reference.group')}>
              <select id="rq-group" value={draft.readerGroup} onChange={(e) => setDraft({ ...draft, readerGroup: e.target.value })}>
                {GROUPS.map((g) => <option key={g} value={g}>{t(`reference.group.${g}`)}</option>)}
              </select>
            </Field>
            <Field id="rq-lang" label={t('reference.language')}>
              <select id="rq-lang" value={draft.language} onChange={(e) => setDraft({ ...draft, language: e.target.value })}>
                {LANGS.map((g) => <option key={g} value={g}>{t(`reference.language.${g}`)}</option>)}
              </select>
            </Field>
            <CheckField label={t('reference.virtual')} checked={draft.virtual} onChange={(virtual) => setDraft({ ...draft, virtual })} />
            <Field>
              <button type="submit" disabled={busy}>{t('reference.add')}</button>
            </Field>
          </FormRow>
          <TableScroll label={t('reference.tab.log')}>
            <table>
              <thead>
                <tr>
                  <th>{t('reference.date')}</th>
                  <th>{t('reference.kind')}</th>
                  <th>{t('reference.question')}</th>
                  <th>{t('reference.group')}</th>
                  <th>{t('reference.language')}</th>
                  <th>{t('reference.virtual')}</th>
                </tr>
              </thead>
              <tbody>
                {requests.map((r) => (
                  <tr key={r.id}>
                    <td>{formatDate(r.askedOn)}</td>
                    <td>{t(`reference.kind.${r.kind}`)}</td>
                    <td>{r.question}{r.answer && <div className="muted">{r.answer}</div>}</td>
                    <td>{t(`reference.group.${r.readerGroup}`)}</td>
                    <td>{t(`reference.language.${r.language}`)}</td>
                    <td>{r.virtual ? '✓' : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}

      {tab === 'questions' && (
        <TableScroll label={t('reference.tab.questions')}>
          <table>
            <thead>
              <tr>
                <th>{t('reference.date')}</th>
                <th>{t('reference.group')}</th>
                <th>{t('reference.question')}</th>
                <th>{t('reference.answer')}</th>
              </tr>
            </thead>
            <tbody>
              {questions.map((q) => (
                <tr key={q.id}>
                  <td>{formatDateTime(q.askedAt)}</td>
                  <td>{q.className ?? t(`reference.group.${q.readerGroup}`)}</td>
                  <td>{q.question}</td>
                  <td>
                    {q.answer ?? (
                      <FormRow className="row" onSubmit={() => void act(() => post(`/api/reference/questions/${q.id}/answer`, { answer: answers[q.id] ?? '', kind: 'thematic', language: 'kk' }))}>
                        <input aria-label={t('reference.answer')} value={answers[q.id] ?? ''} onChange={(e) => setAnswers({ ...answers, [q.id]: e.target.value })} required />
                        <button type="submit" disabled={busy}>{t('reference.send')}</button>
                      </FormRow>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      {tab === 'unmet' && (
        <>
          <FormRow onSubmit={() => void act(() => post('/api/reference/unmet', { source: miss.source, title: miss.title, author: miss.author || null }))}>
            <Field id="um-title" label={t('reference.title')}>
              <input id="um-title" value={miss.title} onChange={(e) => setMiss({ ...miss, title: e.target.value })} required />
            </Field>
            <Field id="um-author" label={t('reference.author')}>
              <input id="um-author" value={miss.author} onChange={(e) => setMiss({ ...miss, author: e.target.value })} />
            </Field>
            <Field id="um-source" label={t('reference.source')}>
              <select id="um-source" value={miss.source} onChange={(e) => setMiss({ ...miss, source: e.target.value })}>
                {['desk', 'search', 'question'].map((s) => <option key={s} value={s}>{t(`reference.source.${s}`)}</option>)}
              </select>
            </Field>
            <Field>
              <button type="submit" disabled={busy}>{t('reference.add')}</button>
            </Field>
          </FormRow>
          <TableScroll label={t('reference.tab.unmet')}>
            <table>
              <thead>
                <tr>
                  <th>{t('reference.title')}</th>
                  <th>{t('reference.author')}</th>
                  <th className="num">{t('reference.times')}</th>
                  <th>{t('reference.status')}</th>
                </tr>
              </thead>
              <tbody>
                {unmet.map((u) => (
                  <tr key={u.id}>
                    <td>{u.title}</td>
                    <td>{u.author ?? ''}</td>
                    <td className="num">{u.times}</td>
                    <td>
                      <select aria-label={t('reference.status')} value={u.status} onChange={(e) => void act(() => post(`/api/reference/unmet/${u.id}/status`, { status: e.target.value }))}>
                        {['open', 'to_purchase', 'met', 'declined'].map((s) => <option key={s} value={s}>{t(`reference.status.${s}`)}</option>)}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}

      {tab === 'lists' && (
        <>
          <FormRow
            onSubmit={() =>
              void act(async () => {
                await post('/api/reference/lists', { kind: listDraft.kind, title: listDraft.title, audience: listDraft.audience || null, items: picked.map((h) => ({ workId: h.workId })) });
                setPicked([]);
                setListDraft({ ...listDraft, title: '' });
              })
            }
          >
            <Field id="ls-kind" label={t('reference.kind')}>
              <select id="ls-kind" value={listDraft.kind} onChange={(e) => setListDraft({ ...listDraft, kind: e.target.value })}>
                {['recommendation', 'index'].map((k) => <option key={k} value={k}>{t(`reference.listKind.${k}`)}</option>)}
              </select>
            </Field>
            <Field id="ls-title" label={t('reference.title')}>
              <input id="ls-title" value={listDraft.title} onChange={(e) => setListDraft({ ...listDraft, title: e.target.value })} required />
            </Field>
            <Field id="ls-aud" label={t('reference.audience')}>
              <input id="ls-aud" value={listDraft.audience} onChange={(e) => setListDraft({ ...listDraft, audience: e.target.value })} />
            </Field>
            <ul className="plain">
              {picked.map((h) => <li key={h.workId}>{h.authors.map((a) => a.name).join(', ')}. {h.title}</li>)}
            </ul>
            <Field>
              <button type="submit" disabled={busy}>{t('reference.add')}</button>
            </Field>
          </FormRow>
          <FormRow onSubmit={() => void get<{ items: Hit[] }>(`/api/catalog/search${query({ q: search, limit: 10 })}`).then((r) => setHits(r.items), setError)}>
            <Field id="ls-search" label={t('reference.addWork')}>
              <input id="ls-search" value={search} onChange={(e) => setSearch(e.target.value)} />
            </Field>
            <ul className="plain">
              {hits.map((h) => (
                <li key={h.workId}>
                  <button type="button" className="secondary" onClick={() => !picked.some((p) => p.workId === h.workId) && setPicked([...picked, h])}>+</button> {h.authors.map((a) => a.name).join(', ')}. {h.title}
                </li>
              ))}
            </ul>
          </FormRow>
          <TableScroll label={t('reference.tab.lists')}>
            <table>
              <thead>
                <tr>
                  <th>{t('reference.title')}</th>
                  <th>{t('reference.kind')}</th>
                  <th className="num">{t('reference.entries')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {lists.map((l) => (
                  <tr key={l.id}>
                    <td>{l.title}{l.audience && <div className="muted">{l.audience}</div>}</td>
                    <td>{t(`reference.listKind.${l.kind}`)}</td>
                    <td className="num">{l.items}</td>
                    <td><a className="button secondary" href={`/api/reference/lists/${l.id}/pdf`} target="_blank" rel="noreferrer">PDF</a></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}

      {tab === 'periodicals' && (
        <>
          <FormRow onSubmit={() => void act(() => post('/api/reference/periodicals', per))}>
            <Field id="pr-title" label={t('reference.title')}>
              <input id="pr-title" value={per.title} onChange={(e) => setPer({ ...per, title: e.target.value })} required />
            </Field>
            <Field id="pr-lang" label={t('reference.language')}>
              <select id="pr-lang" value={per.language} onChange={(e) => setPer({ ...per, language: e.target.value })}>
                {LANGS.map((g) => <option key={g} value={g}>{t(`reference.language.${g}`)}</option>)}
              </select>
            </Field>
            <CheckField label={t('reference.forChildren')} checked={per.forChildren} onChange={(forChildren) => setPer({ ...per, forChildren })} />
            <Field>
              <button type="submit" disabled={busy}>{t('reference.add')}</button>
            </Field>
          </FormRow>
          <TableScroll label={t('reference.tab.periodicals')}>
            <table>
              <thead>
                <tr>
                  <th>{t('reference.title')}</th>
                  <th>{t('reference.language')}</th>
                  <th>{t('reference.forChildren')}</th>
                  <th className="num">{t('reference.issues')}</th>
                  <th className="num">{t('reference.price')}</th>
                </tr>
              </thead>
              <tbody>
                {periodicals.map((p) => (
                  <tr key={p.id}>
                    <td>{p.title}</td>
                    <td>{t(`reference.language.${p.language}`)}</td>
                    <td>{p.forChildren ? '✓' : ''}</td>
                    <td className="num">{p.issuesReceived} / {p.issuesExpected}</td>
                    <td className="num">{formatMoney(p.priceTiyn)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}

      {tab === 'documents' && (
        <>
          <FormRow
            onSubmit={() => {
              if (!file) return;
              void act(async () => {
                await upload('/api/reference/documents', file, { title: doc.title, kind: 'book', access: doc.access, ...(doc.licenceNote ? { licenceNote: doc.licenceNote } : {}) });
                setNotice(t('reference.uploaded'));
              });
            }}
          >
            <Field id="dc-title" label={t('reference.title')}>
              <input id="dc-title" value={doc.title} onChange={(e) => setDoc({ ...doc, title: e.target.value })} required />
            </Field>
            <Field id="dc-access" label={t('reference.access')}>
              <select id="dc-access" value={doc.access} onChange={(e) => setDoc({ ...doc, access: e.target.value })}>
                {['readers', 'public', 'licence'].map((a) => <option key={a} value={a}>{t(`reference.access.${a}`)}</option>)}
              </select>
            </Field>
            {doc.access === 'licence' && (
              <Field id="dc-licence" label={t('reference.licenceNote')}>
                <input id="dc-licence" value={doc.licenceNote} onChange={(e) => setDoc({ ...doc, licenceNote: e.target.value })} required />
              </Field>
            )}
            <Field id="dc-file" label={t('reference.file')}>
              <input id="dc-file" type="file" accept="application/pdf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </Field>
            <Field>
              <button type="submit" disabled={!file || busy}>{t('reference.upload')}</button>
            </Field>
          </FormRow>
          <TableScroll label={t('reference.tab.documents')}>
            <table>
              <thead>
                <tr>
                  <th>{t('reference.title')}</th>
                  <th className="num">{t('reference.pages')}</th>
                  <th>{t('reference.access')}</th>
                  <th className="num">{t('reference.views')}</th>
                  <th className="num">{t('reference.downloads')}</th>
                </tr>
              </thead>
              <tbody>
                {docs.map((d) => (
                  <tr key={d.id}>
                    <td><a href={`/api/reference/documents/${d.id}/file`} target="_blank" rel="noreferrer">{d.title}</a></td>
                    <td className="num">{d.pages}</td>
                    <td>{t(`reference.access.${d.access}`)}</td>
                    <td className="num">{d.views}</td>
                    <td className="num">{d.downloads}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}
