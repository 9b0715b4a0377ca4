import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import type { CardJson } from '../cards/render';
import type { Caller } from './actions';

/** A card as the answer to an Action.Execute invoke. */
export function cardResponse(card: CardJson): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

/** The person behind a turn, when Teams says who it is. */
export function callerOf(context: TurnContext): Caller | undefined {
  const from = context.activity.from;
  if (!from?.aadObjectId) return undefined;
  return { aadObjectId: from.aadObjectId, name: from.name ?? '' };
}

/** A 1:1 chat with the bot (no conversation type means personal in older clients). */
export function isPersonal(context: TurnContext): boolean {
  const type = context.activity.conversation?.conversationType;
  return type === undefined || type === 'personal';
}
