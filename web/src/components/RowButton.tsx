import type { ButtonHTMLAttributes } from 'react';

/**
 * A button repeated on every row («Remove», «Edit»): its visible text stays short, and a hidden
 * tail names the row, so a screen reader's list of buttons says which one is which.
 */
export function RowButton({
  label,
  row,
  className = 'secondary',
  type = 'button',
  ...rest
}: { label: string; row: string } & ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button type={type} className={className} {...rest}>
      {label}
      <span className="visually-hidden"> — {row}</span>
    </button>
  );
}
