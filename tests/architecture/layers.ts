// The layer rule of ARCHITECTURE.md as data: which folder is which layer, and which imports are
// allowed between them. Imports point down only; widgets never import each other (they share
// code through src/widgets/shared/); nothing the browser runs imports src/server, and the server
// imports only the protocol layer plus the few build-time sources named in SERVER_MAY_IMPORT.

export interface Layer {
  name: string;
  /** Higher layers may import lower ones, never the other way; equal ranks may not import each other. */
  rank: number;
  /** Set for one widget's folder, so two widgets can be told apart. */
  widget?: string;
}

const RANKS: ReadonlyArray<readonly [prefix: string, name: string, rank: number]> = [
  ["content/lessons/", "content", 9],
  ["src/pages/", "pages", 8],
  ["src/content.config.ts", "pages", 8],
  ["src/layouts/", "layouts", 7],
  ["src/widgets/shared/", "widgets/shared", 5],
  ["src/scenarios/", "scenarios", 4],
  ["src/machines/", "machines", 3],
  ["src/sim/", "sim", 2],
  ["src/protocol/", "protocol", 1],
  ["src/lessons/", "lessons", 1],
  ["src/styles/", "styles", 0],
  ["docs/", "docs", 0],
];

/** Files outside src/protocol the server may import, each with the reason it must. */
export const SERVER_MAY_IMPORT: Readonly<Record<string, string>> = {
  "src/layouts/theme-init-script.ts": "the CSP hash of the inline theme script is computed from the script itself",
};

export function layerOf(path: string): Layer {
  if (path.startsWith("src/server/")) return { name: "server", rank: Number.NaN };
  const widget = /^src\/widgets\/([^/]+)\//.exec(path)?.[1];
  if (widget && widget !== "shared") return { name: `widgets/${widget}`, rank: 6, widget };
  const row = RANKS.find(([prefix]) => path === prefix || path.startsWith(prefix));
  if (!row)
    throw new Error(
      `${path} is in no layer: add its folder to RANKS in tests/architecture/layers.ts (and to ARCHITECTURE.md)`,
    );
  return { name: row[1], rank: row[2] };
}

/** Why an import breaks the layer rule, or null when it is allowed. */
export function layerViolation(from: string, to: string): string | null {
  if (from.endsWith(".test.ts")) return null; // a test sits above the module it tests
  const source = layerOf(from);
  const target = layerOf(to);
  if (source.name === "server") {
    if (target.name === "server" || target.name === "protocol" || to in SERVER_MAY_IMPORT) return null;
    return `the server imports only src/server, src/protocol and SERVER_MAY_IMPORT, not ${target.name}`;
  }
  if (target.name === "server") return "only the server may import src/server (it is Node-only)";
  if (source.name === target.name) return null;
  if (source.widget && target.widget)
    return `widgets share code only through src/widgets/shared/, not ${source.name} → ${target.name}`;
  if (source.rank > target.rank) return null;
  return source.rank === target.rank
    ? `${source.name} and ${target.name} are side by side and may not import each other`
    : `${source.name} may not import the higher layer ${target.name}`;
}

/** Groups of files that import each other in a circle (Tarjan's strongly connected components). */
export function importCycles(edges: ReadonlyArray<{ from: string; to: string }>): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const target of next.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || next.get(file)?.includes(file)) cycles.push(group.sort());
  };
  for (const file of next.keys()) if (!index.has(file)) visit(file);
  return cycles;
}
