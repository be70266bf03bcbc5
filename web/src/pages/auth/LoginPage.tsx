import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useSession, type Role } from '../../session.js';

/** Where each role starts its day. */
const HOME: Record<Role, string> = {
  admin: '/',
  methodologist: '/',
  librarian: '/desk',
  teacher: '/debtors',
  student: '/my',
  parent: '/my',
};

export default function LoginPage() {
  const { t } = useTranslation();
  const { login } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await login(name.trim(), password);
      const next = params.get('next');
      void navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : HOME[me.role], { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel form-narrow" onSubmit={(e) => void submit(e)}>
      <h1>{t('auth.title')}</h1>
      <ErrorBanner error={error} />
      <div className="field">
        <label htmlFor="login-name">{t('auth.login')}</label>
        <input id="login-name" name="username" autoComplete="username" autoFocus required value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="login-password">{t('auth.password')}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <button type="submit" disabled={busy}>
        {t('auth.submit')}
      </button>
    </form>
  );
}
