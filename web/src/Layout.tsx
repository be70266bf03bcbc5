import { Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from './i18n.js';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from './components/LanguageSwitch.js';
import { MenuGroups } from './components/MenuGroups.js';
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
  useFocusOnRouteChange(pathname);

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
      <div className="app-body">
        <div className="app-side">
          {collapsible && (
            <button
              type="button"
              className="menu-toggle secondary"
              aria-expanded={menuOpen}
              aria-controls="app-menu"
              onClick={() => setMenuOpen((open) => !open)}
            >
              {t('common.menu')}
            </button>
          )}
          <nav id="app-menu" className={`app-menu${collapsible ? ' collapsible' : ''}${menuOpen ? ' open' : ''}`} aria-label={t('common.menu')}>
            <MenuGroups menu={menu} />
          </nav>
        </div>
        <main id="main" className="app-main" tabIndex={-1}>
          <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}

/**
 * After a route change a screen reader user would be left on the menu link just pressed: the focus
 * moves to the new page's heading (or the main area), unless the page took it itself — the desk
 * puts it in its scan field. The first load keeps the browser's own start.
 */
function useFocusOnRouteChange(pathname: string) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let tries = 0;
    let seen = false;
    const main = document.getElementById('main');
    const tick = () => {
      const heading = main?.querySelector<HTMLElement>('h1');
      // pages load lazily: wait for the heading, then one more beat so the page's own focus lands first
      if ((!heading || !seen) && tries++ < 40) {
        if (heading) seen = true;
        timer = setTimeout(tick, 50);
        return;
      }
      const active = document.activeElement;
      if (main && active && active !== main && main.contains(active)) return;
      if (heading) {
        if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
        heading.focus({ preventScroll: false });
      } else {
        main?.focus();
      }
    };
    timer = setTimeout(tick, 0);
    return () => clearTimeout(timer);
  }, [pathname]);
}
