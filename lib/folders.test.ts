import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderOf, importsOf, LIB, sourceFiles, targetFolder } from './testing/imports';

/**
 * lib's folders form layers (issue 23): no import cycle between them, so each can be read, tested and changed from
 * the bottom up (db, log, metrics, net, secrets, keys, actions at the bottom; tokens; auth, http; oidc, roles, apis,
 * policy, usage; clients; api, notifications, identity, server above). A cycle is reported with the files of each of
 * its edges. Tests and test helpers (testing/) may import anything. lib imports nothing of app/ or components/.
 */
type Graph = Map<string, Map<string, string[]>>;

function folderGraph(files: string[]): Graph {
  const graph: Graph = new Map();
  for (const file of files) {
    const from = folderOf(file);
    for (const spec of importsOf(file)) {
      const to = targetFolder(file, spec);
      if (to === null || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      edges.set(to, [...(edges.get(to) ?? []), `${path.relative(LIB, file)} imports ${spec}`]);
    }
  }
  return graph;
}

/** Strongly connected components of more than one folder (Tarjan): each is a cycle. */
function cycles(graph: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Each edge inside a cycle, with the imports that make it. */
function describeCycles(graph: Graph): string[] {
  return cycles(graph).flatMap((component) =>
    component.flatMap((from) =>
      [...(graph.get(from) ?? new Map<string, string[]>())]
        .filter(([to]) => component.includes(to))
        .map(([to, why]) => `lib/${from} -> lib/${to}: ${why.join('; ')}`),
    ),
  );
}

describe('lib folders', () => {
  const graph = folderGraph(sourceFiles(LIB));

  it('import one another without a cycle', () => {
    expect(graph.size).toBeGreaterThan(10);
    expect(describeCycles(graph)).toEqual([]);
  });

  it('import nothing of app/ or components/', () => {
    const outside = [...graph.values()].flatMap((edges) => edges.get('(outside lib)') ?? []);
    expect(outside).toEqual([]);
    expect(targetFolder(path.join(LIB, 'clients', 'x.ts'), '@/components/ui/link')).toBe('(outside lib)');
  });

  it('would report a cycle, with its imports (the check itself works)', () => {
    const made: Graph = new Map([
      ['a', new Map([['b', ['a/x.ts imports ../b/y']]])],
      ['b', new Map([['c', ['b/y.ts imports ../c/z']]])],
      ['c', new Map([['a', ['c/z.ts imports ../a/x']]])],
      ['d', new Map([['a', ['d/w.ts imports ../a/x']]])],
    ]);
    expect(cycles(made)).toEqual([['a', 'b', 'c']]);
    expect(describeCycles(made)).toHaveLength(3);
    expect(folderOf(path.join(LIB, 'tokens', 'http', 'body.ts'))).toBe('tokens');
    expect(targetFolder(path.join(LIB, 'auth', 'mfa', 'x.ts'), '../../api/authorize')).toBe('api');
  });
});
