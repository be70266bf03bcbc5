import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, get, post, put, setCsrfToken, whenSessionLost } from './api.js';
import { currentLanguage, hasStoredLanguage, switchLanguage, type Language } from './i18n.js';

export type Role = 'admin' | 'methodologist' | 'librarian' | 'teacher' | 'student' | 'parent';
export const STAFF_ROLES: Role[] = ['admin', 'librarian'];

/** The signed-in user, as /api/auth/me returns it. */
/** Whether the signed-in user works in a library rather than in an education authority. */
export const inLibrary = (me: Me | null): boolean => !!me && ['school', 'college', 'children_library'].includes(me.organisationKind);

export interface Me {
  userId: number;
  login: string;
  fullName: string;
  role: Role;
  organisationId: number;
  organisationName: string;
  /** A library (school, college, children_library) or an education authority (district, region, republic). */
  organisationKind: 'republic' | 'region' | 'district' | 'school' | 'college' | 'children_library';
  classGrade: number | null;
  classLetter: string | null;
  readerId: number | null;
  locale: Language;
  csrfToken: string;
}

interface Session {
  me: Me | null;
  /** True until the first /api/auth/me answer: pages wait instead of bouncing to the login form. */
  loading: boolean;
  login(login: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  setLanguage(language: Language): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export function isStaff(me: Me | null): boolean {
  return !!me && STAFF_ROLES.includes(me.role);
}

/**
 * A language chosen on this computer wins and is saved to the account;
 * otherwise the account's language is used.
 */
async function reconcileLanguage(me: Me): Promise<void> {
  if (!hasStoredLanguage()) {
    await switchLanguage(me.locale);
  } else if (me.locale !== currentLanguage()) {
    await put('/api/auth/locale', { locale: currentLanguage() });
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);

  const signedIn = useCallback(async (user: Me) => {
    setCsrfToken(user.csrfToken);
    setMe(user);
    await reconcileLanguage(user).catch(() => undefined);
  }, []);

  useEffect(() => {
    whenSessionLost(() => setMe(null));
    return () => whenSessionLost(null);
  }, []);

  useEffect(() => {
    get<Me>('/api/auth/me')
      .then(signedIn)
      .catch((err: unknown) => {
        if (!(err instanceof ApiError && err.status === 401)) console.error(err);
      })
      .finally(() => setLoading(false));
  }, [signedIn]);

  const value = useMemo<Session>(
    () => ({
      me,
      loading,
      async login(login, password) {
        const user = await post<Me>('/api/auth/login', { login, password });
        await signedIn(user);
        return user;
      },
      async logout() {
        await post('/api/auth/logout').catch(() => undefined);
        setCsrfToken(null);
        setMe(null);
      },
      async setLanguage(language) {
        const switched = await switchLanguage(language);
        if (switched && me) await put('/api/auth/locale', { locale: language }).catch(() => undefined);
      },
    }),
    [me, loading, signedIn],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
