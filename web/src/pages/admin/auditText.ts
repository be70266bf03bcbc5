import { formatMoney } from '../../format.js';

/** Turns the codes of an audit line into words; a code without a text shows as it is, never as a blank. */
type Translate = (key: string, options: { defaultValue: string }) => string;

/** The sentence for a line, e.g. «Оқырман жасалды» for ('create', 'reader'). */
export function eventText(t: Translate, action: string, entity: string): string {
  return t(`audit.event.${entity}.${action}`, { defaultValue: `${entity}: ${action}` });
}

export function entityLabel(t: Translate, entity: string): string {
  return t(`audit.entity.${entity}`, { defaultValue: entity });
}

export function actionLabel(t: Translate, action: string): string {
  return t(`audit.action.${action}`, { defaultValue: action });
}

/** A details key in words, e.g. «Оқу жылы» for 'schoolYear'. */
export function detailLabel(t: Translate, key: string): string {
  return t(`audit.detail.${key}`, { defaultValue: key });
}

const LONGEST = 80;

function valueText(t: Translate, key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return t(`audit.value.${value ? 'yes' : 'no'}`, { defaultValue: String(value) });
  // the server keeps money in tiyn, as `priceTiyn`
  if (typeof value === 'number' && key.endsWith('Tiyn')) return formatMoney(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The details of a line as short 'label: value' parts; long values are cut, the raw record is in `full`. */
export function detailParts(t: Translate, details: Record<string, unknown>): { parts: string[]; full: string } {
  const parts = Object.entries(details).map(([key, value]) => {
    const text = valueText(t, key, value);
    return `${detailLabel(t, key)}: ${text.length > LONGEST ? `${text.slice(0, LONGEST - 1)}…` : text}`;
  });
  return { parts, full: Object.keys(details).length ? JSON.stringify(details) : '' };
}
