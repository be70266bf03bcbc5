import { useTranslation } from '../i18n.js';
import { LANGUAGES, type Language } from '../i18n.js';
import { useSession } from '../session.js';

/** Each language is named in itself, so a reader finds their own whatever the current language. */
const OWN_NAME: Record<Language, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English' };
const SHORT: Record<Language, string> = { kk: 'ҚАЗ', ru: 'РУС', en: 'ENG' };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { setLanguage } = useSession();
  return (
    <div className="language-switch" role="group" aria-label={t('common.language')}>
      {LANGUAGES.map((language) => (
        // The spoken name starts with the visible text (WCAG 2.5.3, so voice control finds «РУС»)
        // and goes on with the language's full name.
        <button
          key={language}
          type="button"
          lang={language}
          title={OWN_NAME[language]}
          aria-pressed={i18n.language === language}
          onClick={() => void setLanguage(language)}
        >
          {SHORT[language]}
          <span className="visually-hidden"> — {OWN_NAME[language]}</span>
        </button>
      ))}
    </div>
  );
}
