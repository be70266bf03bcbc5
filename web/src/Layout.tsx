import { Suspense, useEffect, useState } from 'react';
import { useTranslation } from './i18n.js';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from './components/LanguageSwitch.js';
import { menuFor } from './nav.js';
import { useSession } from './session.js';

export function Layout() {
  const { t } = useTranslation();
  const { me, logout } = useSession();
  const navigate = useNavigate();
  const menu = menuFor(me?.role ?? null);
  const { pathname } = useLocation();
  // On a phone a librarian's menu of twenty pages would fill the screen before the page: it folds
  // behind a button there, and folds again once a page is chosen. A student's two links stay.
  const collapsible = menu.reduce((n, group) => n + group.pages.length, 0) > 4;
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [pathname]);

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
      {collapsible && (
        <button type="button" className="menu-toggle secondary" aria-expanded={menuOpen} aria-controls="app-menu" onClick={() => setMenuOpen((open) => !open)}>
          {t('common.menu')}
        </button>
      )}
      <nav id="app-menu" className={`app-menu${collapsible ? ' collapsible' : ''}${menuOpen ? ' open' : ''}`} aria-label={t('common.menu')}>
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
