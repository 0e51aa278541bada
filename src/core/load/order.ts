// A small dependency sort for validation: cycle naming and the level-by-level order shown by `validate`.

export interface Node {
  id: string;
  dependsOn: string[];
}

/** A dependency cycle as ids, first id repeated at the end (`build → test → build`), following dependsOn. */
export function findCycle(nodes: Node[]): string[] | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 1);
    stack.push(id);
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(dep)) continue;
      if (state.get(dep) === 1) return [...stack.slice(stack.indexOf(dep)), dep];
      if (!state.has(dep)) {
        const c = visit(dep);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(id, 2);
    return undefined;
  };
  for (const n of nodes) {
    if (!state.has(n.id)) {
      const c = visit(n.id);
      if (c) return c;
    }
  }
  return undefined;
}

/** Steps grouped by level: each level only depends on earlier levels; file order within a level. */
export function levels(nodes: Node[]): string[][] {
  const done = new Set<string>();
  const ids = new Set(nodes.map((n) => n.id));
  const out: string[][] = [];
  let left = nodes;
  while (left.length) {
    const ready = left.filter((n) => n.dependsOn.every((d) => done.has(d) || !ids.has(d)));
    if (!ready.length) return [...out, left.map((n) => n.id)];
    out.push(ready.map((n) => n.id));
    for (const n of ready) done.add(n.id);
    left = left.filter((n) => !done.has(n.id));
  }
  return out;
}
