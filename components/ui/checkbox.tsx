'use client';

import { Checkbox as RadixCheckbox } from 'radix-ui';
import { useId } from 'react';

type CheckboxProps = {
  label: React.ReactNode;
  /** Extra text under the label (also read by screen readers via aria-describedby). */
  description?: React.ReactNode;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  disabled?: boolean;
  id?: string;
  name?: string;
  className?: string;
  /** The box a pane focuses when it opens (see Sheet's data-autofocus). */
  autoFocusInPane?: boolean;
};

/** A labelled checkbox (Radix, role="checkbox"): findable by its label, toggled by click or Space. */
export function Checkbox({ label, description, checked, onCheckedChange, disabled, id, name, className = '', autoFocusInPane }: CheckboxProps) {
  const autoId = useId();
  const boxId = id ?? autoId;
  const descId = description ? `${boxId}-desc` : undefined;
  return (
    <div className={`flex items-start gap-1.5 ${className}`}>
      {/* A 24 px target (WCAG 2.5.8) around the 16 px box; the negative margin keeps the row's rhythm. */}
      <RadixCheckbox.Root
        id={boxId}
        name={name}
        checked={checked}
        disabled={disabled}
        aria-describedby={descId}
        data-autofocus={autoFocusInPane || undefined}
        onCheckedChange={(v) => onCheckedChange(v === true)}
        className="group -my-0.5 -ml-1 flex h-6 w-6 shrink-0 items-center justify-center rounded focus-visible:outline-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed"
      >
        <span className="flex h-4 w-4 items-center justify-center rounded border border-slate-400 bg-white group-disabled:opacity-60 group-data-[state=checked]:border-brand-600 group-data-[state=checked]:bg-brand-600">
          <RadixCheckbox.Indicator>
            <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3 w-3 text-white" fill="none" stroke="currentColor" strokeWidth="2.5">
              <path d="M3.5 8.5l3 3 6-7" />
            </svg>
          </RadixCheckbox.Indicator>
        </span>
      </RadixCheckbox.Root>
      <div className="min-w-0 text-sm">
        <label htmlFor={boxId} className={`font-medium ${disabled ? 'text-slate-600' : 'text-slate-800'}`}>
          {label}
        </label>
        {description && (
          <p id={descId} className="text-xs text-slate-600">
            {description}
          </p>
        )}
      </div>
    </div>
  );
}
