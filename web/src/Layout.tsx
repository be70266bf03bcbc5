import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { LanguageSwitch } from './components/LanguageSwitch.js';
import { menuFor } from './nav.js';
import { useSession } from './session.js';

export function Layout() {
  const { t } = useTranslation();
  const { me, logout } = useSession();
  const navigate = useNavigate();
  const menu = menuFor(me?.role ?? null);

  async function signOut() {
    await logout();
    void navigate('/login');
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          <span className="brand-name">{t('common.appName')}</span>
          {me && <span className="brand-library">{me.organisationName}</span>}
        </Link>
        <div className="header-tools">
          <LanguageSwitch />
          {me ? (
            <>
              <span className="user-name" title={t(`common.role.${me.role}`)}>
                {me.fullName}
              </span>
              <button type="button" className="secondary" onClick={() => void signOut()}>
                {t('common.logout')}
              </button>
            </>
          ) : (
            <Link className="button secondary" to="/login">
              {t('common.login')}
            </Link>
          )}
        </div>
      </header>
      <nav className="app-menu" aria-label={t('common.menu')}>
        {menu.map((group) => (
          <div className="menu-group" key={group.section}>
            <span className="menu-section">{t(`nav.section.${group.section}`)}</span>
            {group.pages.map((page) => (
              <NavLink key={page.path} to={page.path} end>
                {t(page.labelKey)}
              </NavLink>
            ))}
          </div>
        ))}
      </nav>
      <main id="main" className="app-main" tabIndex={-1}>
        <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
