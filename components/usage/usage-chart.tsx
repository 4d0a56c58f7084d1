'use client';

import { useEffect, useRef } from 'react';
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
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const width = Math.max(280, el.clientWidth);
    const chart = new uPlot(
      {
        width,
        height: 220,
        series: [
          {},
          { label: 'Tokens issued', stroke: '#2563eb', width: 2, fill: 'rgba(37,99,235,0.08)' },
          { label: 'Failures', stroke: '#dc2626', width: 2 },
        ],
        axes: [{ stroke: '#475569' }, { stroke: '#475569' }],
        scales: { x: { time: true } },
        legend: { show: true },
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
  }, [usage]);
  return <div ref={ref} aria-hidden="true" data-testid="usage-chart" className="w-full overflow-hidden" />;
}
