/**
 * Summarizes a Chrome trace written by bench:ui (BENCH_TRACE): the renderer's main thread from the click on, task by
 * task (offset from the click, duration, and what filled it: script, style, layout, paint), with the moments the
 * page's fetches were sent and answered. `npx tsx bench/trace-summary.ts [bench-ui-trace.json]`
 */
import fs from 'node:fs';

type Data = { type?: string; url?: string; encodedDataLength?: number };
type Ev = { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; cat: string; args?: { name?: string; data?: Data } };

const file = process.argv[2] || 'bench-ui-trace.json';
const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
const events: Ev[] = Array.isArray(raw) ? raw : raw.traceEvents;
const threadName = new Map<string, string>();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');

// The main thread that dispatched the click (or the first pointer event).
// The press that started the action (the trace begins a little before it).
const click = events.find((e) => e.name === 'EventDispatch' && ['mousedown', 'keydown'].includes(e.args?.data?.type ?? ''));
if (!click) throw new Error('no input event in the trace');
const main = `${click.pid}:${click.tid}`;
const t0 = click.ts;
// From a little before the press: its own task started before the event.
const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.ts + (e.dur ?? 0) >= t0 && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
console.log(`main thread ${threadName.get(main) ?? main}; the press (mousedown or keydown) at 0 ms`);

const KINDS: [RegExp, string][] = [
  [/^(FunctionCall|EvaluateScript|v8\.callFunction|V8\.Execute|TimerFire|FireAnimationFrame|RunMicrotasks|v8\.run)/, 'script'],
  [/^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet)/, 'style'],
  [/^(Layout|UpdateLayerTree|Layerize|PrePaint)/, 'layout'],
  [/^(Paint|PaintImage|Commit|CompositeLayers)/, 'paint'],
  [/^(ParseHTML|v8\.compile|v8\.parseOnBackground|V8\.Compile)/, 'parse'],
  [/^(MajorGC|MinorGC|V8\.GC|BlinkGC)/, 'gc'],
];
const kindOf = (name: string) => KINDS.find(([re]) => re.test(name))?.[1];

// Top-level tasks: X events not inside another X event of the main thread.
const tasks: Ev[] = [];
let end = 0;
for (const e of onMain) {
  if (e.ts >= end) {
    tasks.push(e);
    end = e.ts + e.dur!;
  }
}
let busy = 0;
for (const task of tasks) {
  const inner = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= task.ts + task.dur!);
  // Per kind, the outermost events only (a FunctionCall inside a FunctionCall counts once).
  const byKind = new Map<string, number>();
  const counted: Ev[] = [];
  for (const e of inner) {
    const k = kindOf(e.name);
    if (!k) continue;
    if (counted.some((c) => kindOf(c.name) === k && e.ts >= c.ts && e.ts + e.dur! <= c.ts + c.dur!)) continue;
    counted.push(e);
    byKind.set(k, (byKind.get(k) ?? 0) + e.dur! / 1000);
  }
  const ms = task.dur! / 1000;
  busy += ms;
  if (ms < 1) continue;
  const parts = [...byKind].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  console.log(`${((task.ts - t0) / 1000).toFixed(1).padStart(7)} ms  ${ms.toFixed(1).padStart(6)} ms  ${task.name}${parts ? `  (${parts})` : ''}`);
}
console.log(`main thread busy ${busy.toFixed(1)} ms in tasks from the press on`);
for (const e of events.filter((x) => /^Resource(SendRequest|ReceiveResponse|Finish)$/.test(x.name) && x.ts >= t0).sort((a, b) => a.ts - b.ts)) {
  const d = e.args?.data ?? {};
  console.log(`${((e.ts - t0) / 1000).toFixed(1).padStart(7)} ms  ${e.name} ${d.url ? String(d.url).replace(/^https?:\/\/[^/]+/, '') : ''}${d.encodedDataLength ? ` ${d.encodedDataLength} B` : ''}`);
}

// Where the script time went: self time per function from the trace's CPU profile (ProfileChunk samples), with the
// first characters of the function in the built chunk (the chunks are minified, so names alone say little).
type Node = { id: number; callFrame: { functionName: string; url?: string; lineNumber: number; columnNumber: number } };
type Chunk = { cpuProfile?: { nodes?: Node[]; samples?: number[] }; timeDeltas?: number[]; startTime?: number };
const chunkEvents = (events as unknown as { name: string; pid: number; ts: number; args: { data: Chunk } }[]).filter((e) => e.pid === click.pid);
const profile = chunkEvents.find((e) => e.name === 'Profile');
if (profile) {
  const nodes = new Map<number, Node>();
  const self = new Map<string, number>();
  let time = profile.args.data.startTime ?? 0;
  for (const e of chunkEvents.filter((x) => x.name === 'ProfileChunk').sort((a, b) => a.ts - b.ts)) {
    const c = e.args.data;
    for (const n of c.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
    const deltas = c.timeDeltas ?? [];
    (c.cpuProfile?.samples ?? []).forEach((id, i) => {
      time += deltas[i] ?? 0;
      if (time < t0) return;
      const f = nodes.get(id)?.callFrame;
      const key = f ? `${f.functionName || '(anonymous)'}\t${(f.url ?? '').split('/').pop() ?? ''}\t${f.columnNumber}` : '?';
      self.set(key, (self.get(key) ?? 0) + (deltas[i + 1] ?? 0));
    });
  }
  const sources = new Map<string, string>();
  const snippet = (file: string, column: number) => {
    const p = `.next/static/chunks/${file}`;
    if (!file.endsWith('.js') || !fs.existsSync(p)) return '';
    if (!sources.has(p)) sources.set(p, fs.readFileSync(p, 'utf8'));
    return sources.get(p)!.slice(column, column + 80).replace(/\s+/g, ' ');
  };
  console.log('self time by function after the press (CPU profile samples):');
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP || 20))) {
    const [name, file, column] = key.split('\t');
    console.log(`${(us / 1000).toFixed(1).padStart(7)} ms  ${name} ${file ?? ''}  ${snippet(file ?? '', Number(column))}`);
  }
}
