// Dependency graph of units: execution order, cycle detection, ready set under a concurrency limit.

export interface GraphNode {
  id: string;
  dependsOn: string[];
}

/** Kahn's algorithm, stable in declaration order. Returns the order, or the first cycle found. */
export function executionOrder(nodes: readonly GraphNode[]): { order: string[] } | { cycle: string[] } {
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    indegree.set(n.id, 0);
    dependents.set(n.id, []);
  }
  for (const n of nodes) {
    for (const d of n.dependsOn) {
      if (!indegree.has(d)) continue;
      indegree.set(n.id, (indegree.get(n.id) ?? 0) + 1);
      dependents.get(d)!.push(n.id);
    }
  }
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < nodes.length) {
    const next = nodes.find((n) => !done.has(n.id) && indegree.get(n.id) === 0);
    if (!next) return { cycle: findCycle(nodes) ?? nodes.filter((n) => !done.has(n.id)).map((n) => n.id) };
    done.add(next.id);
    order.push(next.id);
    for (const dep of dependents.get(next.id)!) indegree.set(dep, indegree.get(dep)! - 1);
  }
  return { order };
}

/** A cycle as a closed path following dependsOn (`[build, test, build]`: build depends on test…), or undefined. */
export function findCycle(nodes: readonly GraphNode[]): string[] | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const d of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(d)) continue;
      if (state.get(d) === 'visiting') return [...stack.slice(stack.indexOf(d)), d];
      if (!state.has(d)) {
        const found = visit(d);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const n of nodes) {
    if (!state.has(n.id)) {
      const found = visit(n.id);
      if (found) return found;
    }
  }
  return undefined;
}

/** Units grouped by level: each level depends only on earlier ones; declaration order within a level. */
export function levels(nodes: readonly GraphNode[]): string[][] {
  const done = new Set<string>();
  const ids = new Set(nodes.map((n) => n.id));
  const out: string[][] = [];
  let left = [...nodes];
  while (left.length) {
    const ready = left.filter((n) => n.dependsOn.every((d) => done.has(d) || !ids.has(d)));
    if (!ready.length) return [...out, left.map((n) => n.id)];
    out.push(ready.map((n) => n.id));
    for (const n of ready) done.add(n.id);
    left = left.filter((n) => !done.has(n.id));
  }
  return out;
}

/** Every unit that depends on `id`, directly or through others. */
export function transitiveDependents(nodes: readonly GraphNode[], id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>([id]);
  const queue = [id];
  while (queue.length > 0) {
    const cur = queue.shift()!;
    for (const n of nodes) {
      if (!seen.has(n.id) && n.dependsOn.includes(cur)) {
        seen.add(n.id);
        out.push(n.id);
        queue.push(n.id);
      }
    }
  }
  return out;
}

export interface SchedulableUnit extends GraphNode {
  status: string;
}

/**
 * Units that may start now: pending, every dependency passed, in order, and no more than the
 * free capacity (`concurrency` minus units already running).
 */
export function readyUnits(units: readonly SchedulableUnit[], concurrency: number): string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const running = units.filter((u) => u.status === 'running').length;
  const free = Math.max(0, concurrency - running);
  const ready: string[] = [];
  for (const u of units) {
    if (ready.length >= free) break;
    if (u.status !== 'pending') continue;
    if (u.dependsOn.every((d) => byId.get(d)?.status === 'passed')) ready.push(u.id);
  }
  return ready;
}
