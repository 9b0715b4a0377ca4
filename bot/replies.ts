import { expandCard, type CardJson } from '../cards/render';

/** A short card with a title, a sentence and a way back to the menu. */
export function messageCard(title: string, text: string): CardJson {
  return expandCard('message', { title, text });
}

export const SOMETHING_WENT_WRONG =
  'Sorry, something went wrong on my side. Nothing you did caused it. Please try again in a minute.';

export const STORAGE_TROUBLE =
  "Sorry, I can't save anything right now, so I didn't do what you asked. Please try again in a few minutes; IT can see the problem in my logs.";
