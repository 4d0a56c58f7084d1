import { forwardRef } from 'react';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'ghost-danger';
const styles: Record<Variant, string> = {
  primary: 'bg-brand-600 text-white shadow-sm hover:bg-brand-700 disabled:bg-brand-600/50',
  secondary: 'border border-slate-300 bg-white text-slate-800 shadow-sm hover:bg-slate-50 disabled:text-slate-400',
  danger: 'bg-red-600 text-white shadow-sm hover:bg-red-700 disabled:bg-red-600/50',
  ghost: 'text-slate-700 hover:bg-slate-100 disabled:text-slate-400',
  /** A row's Remove or Sign out: quiet like ghost, red because it ends something. */
  'ghost-danger': 'text-red-700 hover:bg-red-50 disabled:text-slate-400',
};

/** The one size scale of the console's controls: md is 36 px tall (like Input and Select), sm is 32 px. */
export const CONTROL_HEIGHT = { sm: 'h-8', md: 'h-9' } as const;

export type ButtonProps = React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: 'sm' | 'md' };

// No colour transition: a submit button enabled at hydration would be caught half-way by a contrast check (axe).
export function buttonClasses({ variant = 'primary', size = 'md' }: { variant?: Variant; size?: 'sm' | 'md' } = {}) {
  const pad = size === 'sm' ? `${CONTROL_HEIGHT.sm} px-3 text-sm` : `${CONTROL_HEIGHT.md} px-4 text-sm`;
  return `inline-flex shrink-0 items-center justify-center gap-1.5 rounded-md font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed [&_svg]:shrink-0 ${pad} ${styles[variant]}`;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = 'primary', size = 'md', className = '', type = 'button', ...props },
  ref,
) {
  return <button ref={ref} type={type} className={`${buttonClasses({ variant, size })} ${className}`} {...props} />;
});
