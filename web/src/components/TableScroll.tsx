import { useLayoutEffect, useRef, type ReactNode } from 'react';

/**
 * A table wider than the screen scrolls sideways inside this box, not the whole page; the box takes
 * the keyboard focus (arrow keys scroll it) and is announced as a region. Its name is the label
 * given, or else the heading of the panel or page it stands in.
 */
export function TableScroll({ label, children, className }: { label?: string; children: ReactNode; className?: string }) {
  const box = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || label) return;
    const heading = el.closest('.panel, section, main')?.querySelector('h2, h1');
    const name = heading?.textContent?.trim();
    if (name) el.setAttribute('aria-label', name);
  });
  return (
    <div ref={box} className={className ? `table-wrap ${className}` : 'table-wrap'} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
