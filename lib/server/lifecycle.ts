type Hook = () => Promise<void> | void;
const hooks = ((globalThis as Record<string, unknown>).__tscShutdownHooks ??= []) as Hook[];

/** Work that must finish before the process exits (e.g. flushing coalesced "last used" stamps). */
export function onShutdown(fn: Hook) {
  hooks.push(fn);
}

export async function runShutdownHooks() {
  for (const fn of hooks.splice(0).reverse()) {
    try {
      await fn();
    } catch (err) {
      console.error('[shutdown]', (err as Error).message);
    }
  }
}
