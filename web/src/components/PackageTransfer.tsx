import { useTranslation } from '../i18n.js';
import { download, post } from '../api.js';

/**
 * Data prepared above (the republic's calendar, the exhibition schedule) travels down as a file to a school that
 * runs its own server: the admin above saves it, the school's admin takes it in. `counts` names what the server
 * answers ({ added, updated, … }) for the notice.
 */
export function PackageTransfer(props: {
  title: string;
  help: string;
  exportUrl: string;
  importUrl: string;
  /** only an administrator takes a package in; a methodologist only sends one down */
  canTakeIn: boolean;
  onDone: (notice: string) => void;
  onError: (err: unknown) => void;
}) {
  const { t } = useTranslation();
  async function takeIn(file: File | undefined) {
    if (!file) return;
    let body: unknown;
    try {
      body = JSON.parse(await file.text());
    } catch {
      props.onError(new Error(t('common.package.notJson')));
      return;
    }
    try {
      const r = await post<{ added: number; updated: number; removed?: number }>(props.importUrl, body);
      props.onDone(t('common.package.taken', { added: r.added, updated: r.updated, removed: r.removed ?? 0 }));
    } catch (err) {
      props.onError(err);
    }
  }
  return (
    <div className="panel">
      <h3>{props.title}</h3>
      <p className="muted">{props.help}</p>
      <div className="row">
        <button type="button" className="secondary" onClick={() => void download(props.exportUrl).catch(props.onError)}>
          {t('common.package.save')}
        </button>
        {props.canTakeIn && (
          <div className="field">
            <label htmlFor={`package-${props.importUrl}`}>{t('common.package.take')}</label>
            <input id={`package-${props.importUrl}`} type="file" accept="application/json,.json" onChange={(e) => void takeIn(e.target.files?.[0])} />
          </div>
        )}
      </div>
    </div>
  );
}
