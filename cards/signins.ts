import type { Holdout } from '../services/signins/holdouts';
import type { HourSummary } from '../services/signins/incident-outbox';
import type { Incident } from '../services/signins/model';
import { dateAndTime, timeOfDay, UTC, type TimeZone } from '../services/time';
import { plainText } from './plain';
import { expandCard, type CardJson } from './render';
import { VERBS } from './verbs';

/**
 * The sign-in monitor's cards: IT's full alert (where the prompts came from, actions), the shared
 * summary of it for the channel, the question to the person, the hourly summary, and the admin's
 * list of people who still sign in with text codes. Names and places come from the directory and
 * the sign-in log, so they are shown as plain words.
 */

function span(incident: Incident, zone: TimeZone): string {
  const first = dateAndTime(incident.firstEventAt, zone);
  const last = timeOfDay(incident.lastPromptAt ?? incident.lastEventAt, zone);
  return first.endsWith(last) ? first : `${first} to ${last}`;
}

function promptsText(incident: Incident): string {
  const n = incident.promptIds.length;
  return n === 1 ? '1 denied or not answered' : `${n} denied or not answered`;
}

function title(incident: Incident): string {
  if (incident.danger) return 'Someone may have got in after push-bombing';
  if (incident.triggers.includes('fatigue')) return 'Push-bombing (MFA fatigue)';
  return 'Sign-in request reported as fraud';
}

function statusText(incident: Incident, zone: TimeZone): string {
  if (incident.status === 'handled' && incident.handled) {
    return `Handled by ${plainText(incident.handled.by.name)} at ${timeOfDay(incident.handled.at, zone)}`;
  }
  return incident.pending
    ? `Open · ${plainText(incident.pending.by.name)} is on it`
    : `Open since ${timeOfDay(incident.createdAt, zone)}`;
}

function answerText(incident: Incident): string {
  const name = plainText(incident.user.name);
  if (incident.message.answer === 'not-me') return `${name} says: it wasn't me.`;
  if (incident.message.answer === 'it-was-me') {
    return `${name} says: it was me. Check before you trust it: the account may be in someone else's hands.`;
  }
  if (incident.message.state === 'sent') return `${name} was asked and has not answered yet.`;
  if (incident.message.state === 'failed') return `${name} could not be asked in Teams: call them.`;
  return '';
}

/** Universal Actions refresh: each listed IT member sees their own, current view of the card. */
function withRefresh(card: CardJson, incidentId: string, userIds: string[] | undefined): CardJson {
  if (!userIds?.length) return card;
  return {
    ...card,
    refresh: {
      action: { type: 'Action.Execute', verb: VERBS.signinView, data: { incidentId } },
      userIds: userIds.slice(0, 60),
    },
  };
}

export interface AlertCardOptions {
  notice?: string;
  /** Teams user ids (MRIs) of IT members who get their own live view (at most 60). */
  refreshFor?: string[];
  /** Times are shown in the practice's time zone (default UTC). */
  zone?: TimeZone;
}

/** IT's own view: who, when, how many, from where, and what to do. */
/** "Ivan Ortiz marked it handled", not "Ivan Ortiz: Ivan Ortiz marked it handled". */
function timelineText(by: string, text: string): string {
  return text.startsWith(by) ? plainText(text) : `${plainText(by)}: ${plainText(text)}`;
}

/** IT's own view: who, when, how many, from where, and what to do. */
export function signInAlertCard(incident: Incident, options: AlertCardOptions = {}): CardJson {
  const open = incident.status === 'open' && !incident.pending;
  const zone = options.zone ?? UTC;
  const sources = incident.ips.map((ip, i) =>
    incident.places[i] ? `${ip} · ${plainText(incident.places[i])}` : ip,
  );
  const danger = incident.danger;
  const card = expandCard('signin-alert', {
    notice: options.notice ?? '',
    id: incident.id,
    v: incident.version,
    title: title(incident),
    statusText: statusText(incident, zone),
    urgent: incident.urgent,
    dangerText: danger
      ? `A sign-in succeeded at ${timeOfDay(danger.at, zone)} from ${danger.ip ?? 'an unknown address'}${
          danger.place ? ` (${plainText(danger.place)})` : ''
        }, right after the prompts. Sign them out everywhere now.`
      : '',
    who: `${plainText(incident.user.name)} (${incident.user.upn})`,
    when: span(incident, zone),
    prompts: promptsText(incident),
    sources: sources.length ? sources : ['unknown'],
    apps: incident.apps.map((a) => plainText(a)).join(', ') || 'unknown',
    fraudText: incident.triggers.includes('fraud-report')
      ? `${plainText(incident.user.name)} reported a sign-in request as fraud in Authenticator.`
      : '',
    answerText: answerText(incident),
    ticketText: incident.ticketId ? `Ticket ${incident.ticketId} is open for this.` : '',
    timeline: incident.timeline
      .slice(-10)
      .map((e) => `${timeOfDay(e.at, zone)} ${timelineText(e.by.name, e.text)}`),
    canAct: open,
    canOpenTicket: open && !incident.ticketId,
  });
  return withRefresh(card, incident.id, options.refreshFor);
}

/** The card everyone in the channel sees: no addresses, no places, no actions but "show". */
export function signInAlertSummaryCard(
  incident: Incident,
  options: AlertCardOptions = {},
): CardJson {
  const card = expandCard('signin-alert-summary', {
    notice: options.notice ?? '',
    id: incident.id,
    title: title(incident),
    statusText: statusText(incident, options.zone ?? UTC),
    urgent: incident.urgent,
    name: plainText(incident.user.name),
    prompts: promptsText(incident),
  });
  return withRefresh(card, incident.id, options.refreshFor);
}

/** The question to the person: never where the prompts came from. */
export function signInCheckCard(
  incident: Incident,
  options: { firstName: string; itPhone: string; zone?: TimeZone },
): CardJson {
  const n = incident.promptIds.length;
  const answer = incident.message.answer;
  return expandCard('signin-check', {
    incidentId: incident.id,
    v: incident.version,
    lead: `Hi ${plainText(options.firstName)}, your phone got ${n} Microsoft sign-in ${
      n === 1 ? 'request' : 'requests'
    } (${span(incident, options.zone ?? UTC)}).`,
    answered: Boolean(answer),
    answerText:
      answer === 'not-me'
        ? 'Thanks. IT has been told and will call you. Keep denying any request you did not start.'
        : 'Thanks. If more requests come that you did not start, deny them and tell me here.',
    canSayItWasMe: !answer,
    canSayNotMe: answer !== 'not-me',
    itPhone: options.itPhone,
  });
}

/** The alerts of one hour that waited beyond the cap, in one message. */
export function signInSummaryCard(summary: HourSummary, zone: TimeZone = UTC): CardJson {
  const n = summary.incidents.length;
  return expandCard('signin-summary', {
    title: `Sign-in alerts in the hour from ${timeOfDay(`${summary.hour}:00:00Z`, zone)}: ${n} more`,
    intro: `The hourly limit of alerts was reached, so ${n === 1 ? 'this one was' : `these ${n} were`} held back to keep the channel readable.`,
    lines: summary.incidents.map((line) => ({
      id: line.id,
      name: plainText(line.name),
      detail: line.triggers.includes('fraud-report')
        ? `${line.prompts} prompts · reported as fraud`
        : `${line.prompts} prompts denied or not answered`,
      urgent: line.urgent,
    })),
    footer: 'Open one to see where the sign-ins came from and to act.',
  });
}

/** Most people listed on one card; Teams refuses messages over ~80 KB. */
const HOLDOUTS_SHOWN = 40;

/**
 * People with Authenticator who still sign in with text or voice codes, for the admin. Nudging
 * this exact list is not possible yet (a nudge goes to people without Authenticator), so the card
 * says what to do instead.
 */
export function holdoutsCard(holdouts: Holdout[], note: string, zone: TimeZone = UTC): CardJson {
  const n = holdouts.length;
  const codes = (h: Holdout) =>
    [h.sms ? `${h.sms} text` : '', h.voice ? `${h.voice} voice` : ''].filter(Boolean).join(', ');
  return expandCard('signin-holdouts', {
    title: `Still signing in with text codes: ${n === 1 ? '1 person' : `${n} people`}`,
    intro: n
      ? 'They have Microsoft Authenticator, yet their sign-ins used a code sent by text or call. Text codes can be intercepted; the app is safer and quicker.'
      : 'Nobody with Microsoft Authenticator has signed in with a text or voice code since the monitor started watching.',
    people: holdouts.slice(0, HOLDOUTS_SHOWN).map((h) => ({
      name: `${plainText(h.name)} (${h.upn})`,
      detail: `${codes(h)} code sign-in${h.sms + h.voice === 1 ? '' : 's'} · last ${dateAndTime(h.lastAt, zone)}`,
    })),
    more: n > HOLDOUTS_SHOWN ? `…and ${n - HOLDOUTS_SHOWN} more.` : '',
    note,
  });
}
