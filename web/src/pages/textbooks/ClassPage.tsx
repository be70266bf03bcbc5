import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { download, get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate } from '../../format.js';
import { isStaff, useSession } from '../../session.js';
import { CONDITIONS, schoolYearOf, today, type Condition, type Diagnosis, type SetIssueResult, type TextbookRecord } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

/**
 * A class's textbooks: the supply diagnosis (who has what, what the fund lacks), issuing the full set
 * in September, the May return, and each student's record. A class teacher sees the own class's diagnosis.
 */
export default function ClassPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const staff = isStaff(me);
  const [form, setForm] = useState({
    schoolYear: schoolYearOf(today()),
    grade: me?.classGrade ?? 1,
    classLetter: me?.classLetter ?? 'А',
  });
  const [diagnosis, setDiagnosis] = useState<Diagnosis | null>(null);
  const [issued, setIssued] = useState<SetIssueResult | null>(null);
  const [record, setRecord] = useState<TextbookRecord | null>(null);
  const [returnCondition, setReturnCondition] = useState<Condition>('good');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** The raid being filled in: `${readerId}/${workId}` → condition. */
  const [raid, setRaid] = useState<Record<string, string> | null>(null);

  const load = () => get<Diagnosis>(`/api/textbooks/diagnosis${query(form)}`).then(setDiagnosis);

  async function run(action: () => Promise<unknown>) {
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    }
  }

  function show(e: FormEvent) {
    e.preventDefault();
    setIssued(null);
    setRecord(null);
    void run(load);
  }

  const issueSet = () =>
    run(async () => {
      setIssued(await post<SetIssueResult>('/api/textbooks/classes/issue', form));
      await load();
    });

  const returnClass = () =>
    run(async () => {
      const r = await post<{ returned: number }>('/api/textbooks/classes/return', { grade: form.grade, classLetter: form.classLetter, condition: returnCondition });
      setNotice(t('textbooks.class.returned', { count: r.returned }));
      await load();
    });

  const openRecord = (readerId: number) => run(async () => setRecord(await get<TextbookRecord>(`/api/textbooks/students/${readerId}`)));

  const returnOne = (issue: TextbookRecord['issues'][number], condition: Condition) =>
    record &&
    run(async () => {
      setRecord(await post<TextbookRecord>(`/api/textbooks/students/${record.readerId}/return`, { items: [{ workId: issue.workId, condition }] }));
      await load();
    });

  const printSheet = () => run(() => download(`/api/textbooks/classes/issue-sheet.pdf${query(form)}`));
  const printFormular = (readerId: number) => run(() => download(`/api/textbooks/students/${readerId}/formular.pdf`));

  function startRaid() {
    if (!diagnosis) return;
    const lines: Record<string, string> = {};
    for (const st of diagnosis.students) for (const i of st.items) if (i.held > 0) lines[`${st.readerId}/${i.workId}`] = 'good';
    setRaid(lines);
  }

  const saveRaid = () =>
    raid &&
    run(async () => {
      const lines = Object.entries(raid).map(([key, condition]) => {
        const [readerId, workId] = key.split('/').map(Number);
        return { readerId, workId, condition };
      });
      const saved = await post<{ counts: Record<string, number> }>('/api/textbooks/raids', { ...form, lines });
      setRaid(null);
      setNotice(t('textbooks.raid.saved', saved.counts));
    });

  const titleOf = (workId: number) => diagnosis?.titles.find((x) => x.workId === workId)?.title ?? '';

  return (
    <section>
      <h1>{t('nav.textbooks.classes')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <div className="banner banner-ok">{notice}</div>}
      <form className="panel row" onSubmit={show}>
        <div className="field">
          <label htmlFor="cls-year">{t('textbooks.schoolYear')}</label>
          <input id="cls-year" value={form.schoolYear} onChange={(e) => setForm({ ...form, schoolYear: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="cls-grade">{t('textbooks.grade')}</label>
          <input id="cls-grade" type="number" min={0} max={11} value={form.grade} onChange={(e) => setForm({ ...form, grade: Number(e.target.value) })} />
        </div>
        <div className="field">
          <label htmlFor="cls-letter">{t('textbooks.classLetter')}</label>
          <input id="cls-letter" maxLength={1} value={form.classLetter} onChange={(e) => setForm({ ...form, classLetter: e.target.value })} />
        </div>
        <div className="field">
          <button type="submit">{t('textbooks.class.show')}</button>
        </div>
      </form>

      {diagnosis && (
        <div className="panel" data-testid="diagnosis">
          <h2>{t('textbooks.class.title', { grade: diagnosis.grade, letter: diagnosis.classLetter, count: diagnosis.studentsCount })}</h2>
          {staff && (
            <div className="row no-print">
              <button type="button" onClick={() => void issueSet()}>{t('textbooks.class.issueSet')}</button>
              <select aria-label={t('textbooks.condition')} value={returnCondition} onChange={(e) => setReturnCondition(e.target.value as Condition)}>
                {CONDITIONS.map((c) => (
                  <option key={c} value={c}>{t(`textbooks.condition.${c}`)}</option>
                ))}
              </select>
              <button type="button" className="secondary" onClick={() => void returnClass()}>{t('textbooks.class.returnAll')}</button>
              <button type="button" className="secondary" onClick={startRaid}>{t('textbooks.raid.start')}</button>
            </div>
          )}
          <p className="no-print">
            <button type="button" className="secondary" onClick={() => void printSheet()}>{t('textbooks.class.issueSheet')}</button>
          </p>
          <TableScroll>
            <table>
              <thead>
                <tr>
                  <th>{t('textbooks.work')}</th>
                  <th className="num">{t('textbooks.needed')}</th>
                  <th className="num">{t('textbooks.issued')}</th>
                  <th className="num">{t('textbooks.lacking')}</th>
                  <th className="num">{t('textbooks.available')}</th>
                  <th className="num">{t('textbooks.shortage')}</th>
                </tr>
              </thead>
              <tbody>
                {diagnosis.titles.map((x) => (
                  <tr key={x.workId}>
                    <td>{x.subject}: {x.title}</td>
                    <td className="num">{x.needed}</td>
                    <td className="num">{x.issued}</td>
                    <td className="num">{x.lacking}</td>
                    <td className="num">{x.available}</td>
                    <td className={x.shortage ? 'num overdue' : 'num'}>{x.shortage}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <h3>{t('textbooks.class.students')}</h3>
          <ul className="facts">
            {diagnosis.students.map((s) => (
              <li key={s.readerId}>
                <button type="button" className="secondary" onClick={() => void openRecord(s.readerId)}>{s.name}</button>{' '}
                {s.complete ? (
                  <span className="muted">{t('textbooks.class.complete')}</span>
                ) : (
                  <span className="overdue">
                    {t('textbooks.class.lacks')}: {s.items.filter((i) => i.missing).map((i) => titleOf(i.workId)).join('; ')}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}

      {raid && diagnosis && (
        <div className="panel" data-testid="raid">
          <h2>{t('textbooks.raid.title', { grade: diagnosis.grade, letter: diagnosis.classLetter })}</h2>
          <p className="muted">{t('textbooks.raid.hint')}</p>
          {Object.keys(raid).length === 0 ? (
            <p>{t('textbooks.raid.nothing')}</p>
          ) : (
            <table>
              <tbody>
                {diagnosis.students.flatMap((st) =>
                  st.items.filter((i) => i.held > 0).map((i) => (
                    <tr key={`${st.readerId}/${i.workId}`}>
                      <td>{st.name}</td>
                      <td>{titleOf(i.workId)}</td>
                      <td>
                        <select
                          aria-label={`${st.name}: ${titleOf(i.workId)}`}
                          value={raid[`${st.readerId}/${i.workId}`]}
                          onChange={(e) => setRaid({ ...raid, [`${st.readerId}/${i.workId}`]: e.target.value })}
                        >
                          {['good', 'worn', 'unusable', 'absent'].map((c) => (
                            <option key={c} value={c}>{t(`textbooks.raid.condition.${c}`)}</option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          )}
          <div className="actions">
            <button type="button" disabled={Object.keys(raid).length === 0} onClick={() => void saveRaid()}>{t('textbooks.raid.save')}</button>
            <button type="button" className="secondary" onClick={() => setRaid(null)}>{t('common.cancel')}</button>
          </div>
        </div>
      )}

      {issued && (
        <div className="panel">
          <h2>{t('textbooks.class.issuedCopies', { count: issued.issuedCopies })}</h2>
          {issued.notIssued.length > 0 && (
            <ul>
              {issued.notIssued.map((n) => (
                <li key={`${n.readerId}/${n.workId}`}>{n.name}: {n.title} × {n.missing}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      {record && (
        <div className="panel" data-testid="record">
          <h2>{t('textbooks.record.title', { name: record.name, count: record.holding })}</h2>
          {staff && (
            <p className="no-print">
              <button type="button" className="secondary" onClick={() => void printFormular(record.readerId)}>{t('textbooks.record.formular')}</button>
            </p>
          )}
          <table>
            <thead>
              <tr>
                <th>{t('textbooks.schoolYear')}</th>
                <th>{t('textbooks.work')}</th>
                <th>{t('textbooks.record.issuedOn')}</th>
                <th>{t('textbooks.record.returnedOn')}</th>
                <th>{t('textbooks.condition')}</th>
              </tr>
            </thead>
            <tbody>
              {record.issues.map((i) => (
                <tr key={i.id}>
                  <td>{i.schoolYear}</td>
                  <td>{i.title}{i.barcode ? ` (${i.barcode})` : ''}</td>
                  <td>{formatDate(i.issuedOn)}</td>
                  <td>{formatDate(i.returnedOn)}</td>
                  <td>
                    {i.returnCondition ? (
                      t(`textbooks.condition.${i.returnCondition}`)
                    ) : staff ? (
                      <select aria-label={t('textbooks.record.return')} value="" onChange={(e) => void returnOne(i, e.target.value as Condition)}>
                        <option value="">{t('textbooks.record.return')}</option>
                        {CONDITIONS.map((c) => (
                          <option key={c} value={c}>{t(`textbooks.condition.${c}`)}</option>
                        ))}
                      </select>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
