'use client';

import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ClientUsage } from '@/lib/usage/queries';

/**
 * The Usage tab's time series (uPlot, about 50 kB): tokens issued and failed authentications per bucket. Loaded with
 * next/dynamic from the Usage tab only, so no other page carries the library. The canvas is decorative for screen
 * readers: the same numbers are in the totals and the table next to it.
 */
export default function UsageChart({ usage }: { usage: ClientUsage }) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useThemeChanges();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const width = Math.max(280, el.clientWidth);
    // The theme's colours (the container's text and border classes resolve both themes' palettes): fixed light-mode
    // colours left the axis labels at about 2:1 on the dark surface.
    const style = getComputedStyle(el);
    const axis = { stroke: style.color, grid: { stroke: style.borderTopColor, width: 1 }, ticks: { stroke: style.borderTopColor, width: 1 } };
    const chart = new uPlot(
      {
        width,
        height: 220,
        series: [
          {},
          { label: 'Tokens issued', stroke: '#2563eb', width: 2, fill: 'rgba(37,99,235,0.08)' },
          { label: 'Failures', stroke: '#dc2626', width: 2 },
        ],
        axes: [axis, axis],
        scales: { x: { time: true } },
        // A key of the two series (their values are the totals above and the table below), not "--" until hovered.
        legend: { show: true, live: false },
      },
      [usage.buckets.map((t) => t / 1000), usage.issued, usage.failures],
      el,
    );
    const resize = () => chart.setSize({ width: Math.max(280, el.clientWidth), height: 220 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.destroy();
    };
  }, [usage, theme]);
  return <div ref={ref} aria-hidden="true" data-testid="usage-chart" className="w-full overflow-hidden border-slate-200 text-slate-600 [&_.uplot]:[font-family:inherit]" />;
}

/**
 * A number that changes whenever the page's theme does: the account menu's Light / Dark / System (<html data-theme>,
 * set in place) or the system's own setting. The canvas is drawn in the theme's colours, so it is drawn again.
 */
function useThemeChanges(): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const bump = () => setTick((t) => t + 1);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const system = window.matchMedia('(prefers-color-scheme: dark)');
    system.addEventListener('change', bump);
    return () => {
      observer.disconnect();
      system.removeEventListener('change', bump);
    };
  }, []);
  return tick;
}
