/** How a demo person reads an Adaptive Card: its words and the buttons they could press. */

type Json = Record<string, unknown>;

export interface Button {
  title: string;
  verb: string;
  data: unknown;
}

function children(node: Json): Json[] {
  const out: Json[] = [];
  for (const key of ['body', 'items', 'columns', 'actions', 'card']) {
    const value = node[key];
    if (Array.isArray(value)) out.push(...value.filter((v): v is Json => typeof v === 'object'));
    else if (value && typeof value === 'object') out.push(value as Json);
  }
  return out;
}

function walk(node: Json, visit: (n: Json) => void): void {
  visit(node);
  for (const child of children(node)) walk(child, visit);
}

/** Every Action.Execute on the card, including those inside show-cards and action sets. */
export function buttons(card: Json): Button[] {
  const found: Button[] = [];
  walk(card, (n) => {
    if (n.type === 'Action.Execute' && typeof n.verb === 'string')
      found.push({ title: String(n.title ?? ''), verb: n.verb, data: n.data ?? {} });
  });
  return found;
}

/** The card's text blocks and facts, in order. */
export function cardLines(card: Json): string[] {
  const lines: string[] = [];
  walk(card, (n) => {
    if (n.type === 'TextBlock' && typeof n.text === 'string' && n.text.trim()) lines.push(n.text);
    if (n.type === 'FactSet' && Array.isArray(n.facts)) {
      for (const f of n.facts as Json[]) lines.push(`${String(f.title)}: ${String(f.value)}`);
    }
  });
  return lines;
}
