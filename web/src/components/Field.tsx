import type { FormEvent, ReactNode } from 'react';

/**
 * One field of a form row: a label naming its control by id, or a control that needs none (a button).
 * The row's fields wrap onto the next line on a narrow screen (`.row`, `.field` in styles.css).
 */
export function Field({ id, label, children }: { id?: string; label?: ReactNode; children: ReactNode }) {
  return (
    <div className="field">
      {label !== undefined && <label htmlFor={id}>{label}</label>}
      {children}
    </div>
  );
}

/** A checkbox with its text after it, as one field of a form row. */
export function CheckField({ label, checked, onChange }: { label: ReactNode; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div className="field">
      <label>
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
      </label>
    </div>
  );
}

/** A form laid out as a row of fields in a panel; submitting it runs `onSubmit` instead of reloading the page. */
export function FormRow({ onSubmit, label, className = 'panel row', children }: { onSubmit: () => void; label?: string; className?: string; children: ReactNode }) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className={className} onSubmit={submit} aria-label={label}>
      {children}
    </form>
  );
}
