/**
 * Invisible characters that change how text is shown without being seen: the bidirectional
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the marks U+200E/U+200F/U+061C,
 * and the zero-width space, joiners and word joiner (U+200B–U+200D, U+2060, U+FEFF). In a person's
 * name or login they serve only to make one name look like another («‮nahzA» shown as «Azhan»).
 * Catalogue records keep them: an Arabic or Persian title may rightly hold a mark or a joiner.
 */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF]/gu;

/** A person's name or login as stored: invisible formatting characters removed, spaces trimmed and single. */
export function cleanPersonText(value: string): string {
  return value.replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}
