import axe from 'axe-core';
import { expect, type Page } from '@playwright/test';

/** The four ways the console is looked at: two widths, two themes (the theme from the system setting). */
export const VARIANTS = [
  { name: 'desktop-light', viewport: { width: 1440, height: 900 }, colorScheme: 'light' },
  { name: 'desktop-dark', viewport: { width: 1440, height: 900 }, colorScheme: 'dark' },
  { name: 'phone-light', viewport: { width: 390, height: 844 }, colorScheme: 'light' },
  { name: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' },
] as const;
export type Variant = (typeof VARIANTS)[number];
export const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true } as const;

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export type AxeViolation = { id: string; impact?: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] };

/**
 * axe-core's rules (AXE_TAGS) on the page as it is now. axe-core goes into the page once (it stays there until the
 * next full page load) and each check is one axe.run: @axe-core/playwright's AxeBuilder injects the 550 kB engine again
 * on every call and opens a blank page to assemble its results, 1.3 s a check here against 0.1-0.15 s for axe.run
 * itself, and the suites run some 250 checks per database. The console has no iframes, the one thing AxeBuilder adds.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await expect(page).toHaveTitle(/\S/);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  return page.evaluate(async (tags) => {
    // A refresh after a save can blank <title> for a moment while Next streams the new head in: audit the page once
    // it has settled, as the toHaveTitle above does (a title that never comes still fails document-title).
    for (let i = 0; i < 100 && !document.title.trim(); i++) await new Promise((r) => setTimeout(r, 50));
    const engine = (window as unknown as { axe: typeof axe }).axe;
    const results = await engine.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

/** axe violations of the page as it is now, one readable line per node. */
export async function axeViolations(page: Page): Promise<string[]> {
  const violations = await runAxe(page);
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`));
}

/** The document scrolls sideways when anything is wider than the viewport. */
export function horizontalOverflow(page: Page) {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

/**
 * Visible interactive elements smaller than 24 x 24 CSS px (WCAG 2.2, 2.5.8 Target Size (Minimum)). As the criterion
 * allows: a link inside a sentence is exempt (the inline exception), and a control's own <label> counts as part of
 * its target (clicking the label operates it).
 */
export function smallTargets(page: Page, root = 'body') {
  return page.evaluate((rootSelector) => {
    const sel = [
      'a[href]',
      'button',
      'input:not([type=hidden])',
      'select',
      'textarea',
      'summary',
      '[role=button]',
      '[role=tab]',
      '[role=checkbox]',
      '[role=radio]',
      '[role=combobox]',
      '[role=menuitem]',
      '[role=option]',
    ].join(',');
    const scope = document.querySelector(rootSelector) ?? document.body;
    const out: string[] = [];
    for (const el of scope.querySelectorAll<HTMLElement>(sel)) {
      if (el.closest('[aria-hidden=true], [hidden], [inert]')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.opacity === '0' || style.pointerEvents === 'none') continue;
      let r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      // Visually hidden (sr-only) elements are not targets.
      if (r.width <= 1 && r.height <= 1) continue;
      if (el.tagName === 'A' && style.display === 'inline') {
        const block = el.parentElement?.closest('p, li, dd, td');
        if (block && (block.textContent ?? '').trim().length > (el.textContent ?? '').trim().length) continue;
      }
      const labels = 'labels' in el ? [...((el as HTMLInputElement).labels ?? [])] : [];
      for (const label of labels) {
        const l = label.getBoundingClientRect();
        const left = Math.min(r.left, l.left);
        const top = Math.min(r.top, l.top);
        r = new DOMRect(left, top, Math.max(r.right, l.right) - left, Math.max(r.bottom, l.bottom) - top);
      }
      if (r.width < 23.5 || r.height < 23.5) {
        const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? '';
        out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${name}" ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
    }
    return out;
  }, root);
}

/** The element is shown and lies within the viewport's width (reachable without sideways scrolling). */
export async function expectWithinWidth(page: Page, locator: ReturnType<Page['locator']>, what: string) {
  await expect(locator, what).toBeVisible();
  const box = await locator.boundingBox();
  const width = page.viewportSize()!.width;
  expect(box, what).not.toBeNull();
  expect(box!.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what}: right edge within ${width}px`).toBeLessThanOrEqual(width + 0.5);
}

/** Console errors and failed responses (HTTP >= 400) of a page, except those the caller expects. */
export function recordProblems(page: Page) {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return problems;
}
