import type * as AdaptiveCardsTypes from 'adaptivecards';
import type { CardJson } from './render';

// The package's main entry is an ES module build that Node cannot load; its UMD bundle can.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsTypes;

/** Parses a card with the Adaptive Cards SDK and returns every warning and validation failure. */
export function cardProblems(card: CardJson): string[] {
  const problems: string[] = [];
  if (card.version !== '1.5') problems.push(`version is ${card.version}; Teams renders up to 1.5`);
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(new AC.Version(1, 5));
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i += 1) problems.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}
