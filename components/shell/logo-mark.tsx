/** The product's mark (the same drawing as app/icon.svg, the favicon). Decorative: the product name sits beside it. */
export function LogoMark({ className = 'h-7 w-7' }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 32 32" className={`shrink-0 ${className}`}>
      <rect width="32" height="32" rx="7" className="fill-brand-600" />
      <path d="M16 5.5l8.5 3.2v6.6c0 5.3-3.6 9.3-8.5 11.2-4.9-1.9-8.5-5.9-8.5-11.2V8.7z" className="fill-white" />
      <circle cx="16" cy="13.8" r="2.6" className="fill-brand-600" />
      <path d="M14.7 15.6h2.6l.7 5h-4z" className="fill-brand-600" />
    </svg>
  );
}
