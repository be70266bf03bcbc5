import { useEffect, useState } from 'react';
import { useTranslation } from '../i18n.js';
import { NavLink } from 'react-router';
import type { menuFor, Section } from '../nav.js';

const CLOSED_KEY = 'kitaphana.menu.closed';

/** The sections a librarian folded, remembered on this PC: a fold is a choice, so every section starts open. */
function readClosed(): Set<Section> {
  try {
    const stored = JSON.parse(localStorage.getItem(CLOSED_KEY) ?? '[]') as unknown;
    return new Set(Array.isArray(stored) ? (stored as Section[]) : []);
  } catch {
    return new Set();
  }
}

/** The menu's sections, each folding under its own heading button. */
export function MenuGroups({ menu }: { menu: ReturnType<typeof menuFor> }) {
  const { t } = useTranslation();
  const [closed, setClosed] = useState(readClosed);
  useEffect(() => {
    try {
      localStorage.setItem(CLOSED_KEY, JSON.stringify([...closed]));
    } catch {
      // a browser with storage switched off simply forgets the folds
    }
  }, [closed]);

  function toggle(section: Section) {
    setClosed((old) => {
      const next = new Set(old);
      if (next.has(section)) next.delete(section);
      else next.add(section);
      return next;
    });
  }

  return (
    <>
      {menu.map((group) => {
        const open = !closed.has(group.section);
        const listId = `menu-${group.section}`;
        return (
          <div className="menu-group" key={group.section}>
            <button type="button" className="menu-section" aria-expanded={open} aria-controls={listId} onClick={() => toggle(group.section)}>
              {t(`nav.section.${group.section}`)}
            </button>
            <ul id={listId} className="menu-links" hidden={!open}>
              {group.pages.map((page) => (
                <li key={page.path}>
                  <NavLink to={page.path} end>
                    {t(page.labelKey)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </>
  );
}
