'use client';

import { Check, ChevronsUpDown } from 'lucide-react';
import { Select as RadixSelect } from 'radix-ui';

export type SelectOption = { value: string; label: string };

type SelectProps = {
  /** Give the trigger an id and point a <label htmlFor> at it: the label names the combobox. */
  id?: string;
  value: string;
  onValueChange: (value: string) => void;
  options: SelectOption[];
  name?: string;
  disabled?: boolean;
  className?: string;
  'aria-label'?: string;
  'aria-describedby'?: string;
};

/**
 * A dropdown (Radix Select): role="combobox" named by its label, a listbox of role="option" items, arrow keys and
 * typeahead, and a list that fits the screen on a phone. Same height as Input and Button (h-9).
 */
export function Select({ id, value, onValueChange, options, name, disabled, className = '', ...aria }: SelectProps) {
  const current = options.find((o) => o.value === value);
  return (
    <RadixSelect.Root value={value} onValueChange={onValueChange} name={name} disabled={disabled}>
      <RadixSelect.Trigger
        id={id}
        {...aria}
        className={`inline-flex h-9 w-full min-w-0 items-center justify-between gap-2 rounded-md border border-slate-300 bg-white pr-2 pl-3 text-left text-sm text-slate-900 shadow-sm hover:border-slate-400 focus-visible:border-brand-600 focus-visible:outline-2 focus-visible:outline-brand-600/30 disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500 data-[state=open]:border-brand-600 ${className}`}
      >
        <span className="truncate">
          <RadixSelect.Value>{current?.label}</RadixSelect.Value>
        </span>
        <RadixSelect.Icon>
          <ChevronsUpDown aria-hidden="true" className="h-4 w-4 shrink-0 text-slate-500" />
        </RadixSelect.Icon>
      </RadixSelect.Trigger>
      {/* No portal: the open list stays inside the page's landmarks (it is positioned fixed, so nothing clips it). */}
      <RadixSelect.Content
        position="popper"
        sideOffset={4}
        className="z-50 max-h-[var(--radix-select-content-available-height)] w-[var(--radix-select-trigger-width)] min-w-48 overflow-hidden rounded-md border border-slate-200 bg-white shadow-lg"
      >
        <RadixSelect.Viewport className="p-1">
          {options.map((o) => (
            <RadixSelect.Item
              key={o.value}
              value={o.value}
              className="relative flex min-h-9 cursor-pointer items-center rounded py-1.5 pr-3 pl-8 text-sm text-slate-800 outline-none select-none data-[disabled]:cursor-not-allowed data-[disabled]:opacity-50 data-[highlighted]:bg-slate-100 data-[state=checked]:font-medium"
            >
              <RadixSelect.ItemIndicator className="absolute left-2 inline-flex items-center">
                <Check aria-hidden="true" className="h-4 w-4 text-brand-600" />
              </RadixSelect.ItemIndicator>
              <RadixSelect.ItemText>{o.label}</RadixSelect.ItemText>
            </RadixSelect.Item>
          ))}
        </RadixSelect.Viewport>
      </RadixSelect.Content>
    </RadixSelect.Root>
  );
}
