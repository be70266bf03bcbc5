import { useEffect, type RefObject } from 'react';

/**
 * Keeps a scanner input in charge of the keyboard, as the circulation desk does: the input is focused on
 * arrival, and a printable key pressed outside any field moves the focus back to it before the key lands,
 * so a scan is never lost to a stray click.
 */
export function useScannerInput(input: RefObject<HTMLInputElement | null>, active = true): void {
  useEffect(() => {
    if (!active) return;
    input.current?.focus();
    function onKeyDown(e: KeyboardEvent) {
      if (e.ctrlKey || e.altKey || e.metaKey || e.key.length !== 1) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))) return;
      input.current?.focus();
    }
    document.addEventListener('keydown', onKeyDown, true);
    return () => document.removeEventListener('keydown', onKeyDown, true);
  }, [input, active]);
}

/** Barcodes typed but not yet acknowledged by the server, kept in the browser so a reload sends them again. */
export const pendingScans = {
  key: (checkId: number) => `kitaphana.check.${checkId}.pending`,
  read(checkId: number): string[] {
    try {
      const value = JSON.parse(localStorage.getItem(this.key(checkId)) ?? '[]') as unknown;
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    } catch {
      return [];
    }
  },
  write(checkId: number, barcodes: string[]): void {
    try {
      if (barcodes.length) localStorage.setItem(this.key(checkId), JSON.stringify(barcodes));
      else localStorage.removeItem(this.key(checkId));
    } catch {
      // A full or disabled storage only loses the resume-after-reload convenience.
    }
  },
};
