import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useAllTexts, useTranslation } from './i18n.js';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './Layout.js';
import { canOpen, pages, type PageDef } from './nav.js';
import { SessionProvider, useSession } from './session.js';

/** Pages drawn with the start part of the texts alone (web/build/locale-split.ts); the others wait for the rest. */
const START_TEXT_PAGES = new Set(['/', '/login']);

const PublicPage = lazy(() => import('./pages/events/PublicPage.js'));

/** Shows its content once every text of the language is here. */
function AllTexts({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return useAllTexts() ? <>{children}</> : <p className="muted">{t('common.loading')}</p>;
}

/** Opens a page when the user's role allows it; sends an anonymous user to the login form and back. */
function Guard({ page }: { page: PageDef }) {
  const { t } = useTranslation();
  const { me, loading } = useSession();
  const location = useLocation();
  const startPage = START_TEXT_PAGES.has(page.path);
  const allTexts = useAllTexts(!startPage);
  useEffect(() => {
    document.title = `${t(page.labelKey)} — ${t('common.appName')}`;
  }, [page.labelKey, t]);
  if (!allTexts && !startPage) return <p className="muted">{t('common.loading')}</p>;
  if (page.roles === 'public') return <>{page.element}</>;
  if (loading) return <p className="muted">{t('common.loading')}</p>;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (!canOpen(page, me.role)) return <p className="banner banner-error" role="alert">{t('common.error.forbidden')}</p>;
  return <>{page.element}</>;
}

function NotFound() {
  const { t } = useTranslation();
  return <p className="banner banner-error">{t('common.error.notFound')}</p>;
}

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          {/* the public page of a library stands alone, without the menu, so a school's website can frame it */}
          <Route
            path="/public/:library"
            element={
              <AllTexts>
                <Suspense fallback={null}>
                  <PublicPage />
                </Suspense>
              </AllTexts>
            }
          />
          <Route element={<Layout />}>
            {pages.map((page) => (
              <Route key={page.path} path={page.path} element={<Guard page={page} />} />
            ))}
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
