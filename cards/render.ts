import fs from 'node:fs';
import { CardFactory, type Attachment } from 'botbuilder';
import * as ACData from 'adaptivecards-templating';
import { assetPath } from '../services/paths';

/** An Adaptive Card as JSON. */
export type CardJson = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

/**
 * Text colours that stay readable (WCAG AA, 4.5:1) in Teams' light, dark and high-contrast
 * themes. "Good" and "Warning" read at about 2:1 on white, "Light" and "Dark" vanish in one
 * theme or the other: say good or bad with an icon or words instead.
 */
export const READABLE_COLORS = ['Default', 'Accent', 'Attention'] as const;
export type TextColor = (typeof READABLE_COLORS)[number];

const cache = new Map<string, ACData.Template>();

function template(name: string): ACData.Template {
  let t = cache.get(name);
  if (!t) {
    const file = assetPath('cards', 'templates', `${name}.json`);
    t = new ACData.Template(JSON.parse(fs.readFileSync(file, 'utf8')));
    cache.set(name, t);
  }
  return t;
}

/** Names of every template shipped in cards/templates. */
export function templateNames(): string[] {
  return fs
    .readdirSync(assetPath('cards', 'templates'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''));
}

/** Expands a template with data. Data is plain values: the template decides what shows. */
export function expandCard(name: string, data: object): CardJson {
  const card = template(name).expand({ $root: data }) as CardJson;
  if (!card || card.type !== 'AdaptiveCard')
    throw new Error(`card template ${name} did not expand to a card`);
  return card;
}

const EPHEMERAL = new WeakSet<object>();

/**
 * Marks a card that must live only in the clicker's view (a card holding a one-time code): it is
 * never written into the chat's history, where every device and a reload would show it again.
 */
export function ephemeral(card: CardJson): CardJson {
  EPHEMERAL.add(card);
  return card;
}

export function isEphemeral(card: CardJson): boolean {
  return EPHEMERAL.has(card);
}

export function toAttachment(card: CardJson): Attachment {
  return CardFactory.adaptiveCard(card);
}
