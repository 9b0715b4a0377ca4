import { z } from 'zod';
import type { DemoTime } from './demo-time';
import { parseAdvance } from './demo-time';
import type { BotLink } from './bot-link';
import { buttons, cardLines } from './card-reading';
import { personalChatId } from './chats';
import type { Reply } from './connector';
import type { Inbox } from './inbox';
import { PHONE_ACTIONS, type Phones } from './phones';
import type { DemoPerson, Roster } from './roster';
import type { Received } from './store';

/**
 * The demo's controls under /_sim/ (loopback only, like everything in the demo): what a person
 * received, their phone, something they say or press, and the demo clock. Answers carry a
 * `text` sentence for the command line.
 */

const PhoneBody = z.object({ action: z.enum(PHONE_ACTIONS) }).strict();
const TimeBody = z.object({ advance: z.string().min(1).max(20) }).strict();
const SayBody = z.object({ text: z.string().min(1).max(500) }).strict();
const PressBody = z
  .object({
    button: z.string().min(1).max(100),
    inputs: z.record(z.string(), z.string().max(500)).default({}),
  })
  .strict();

export interface ControlDeps {
  roster: Roster;
  inbox: Inbox;
  phones: Phones;
  time: DemoTime;
  link: BotLink;
  appId: string;
  /** The person signed in to the playground: their chat is there, not here. */
  clientUserId?: string;
}

const problem = (status: number, text: string): Reply => ({ status, body: { error: { text } } });

/** A message as the command line shows it: when, its words, its buttons. */
export function describe(m: Received) {
  const lines = m.card ? cardLines(m.card) : [];
  return {
    at: m.at,
    updated: m.updatedAt,
    text: m.text ?? lines[0] ?? m.summary ?? '',
    lines: m.card ? lines.slice(1) : [],
    buttons: m.card ? buttons(m.card).map((b) => b.title) : [],
  };
}

export class Controls {
  constructor(private readonly deps: ControlDeps) {}

  async handle(method: string, parts: string[], body: unknown): Promise<Reply | undefined> {
    const [what, who, verb] = parts;
    if (method === 'GET' && what === 'health')
      return { status: 200, body: { status: 'ok', people: this.deps.roster.size } };
    if (what === 'time') return this.time(method, body);
    if (what !== 'people' || !who) return undefined;
    const person = this.person(who);
    if ('status' in person) return person;
    if (method === 'GET' && verb === 'messages') {
      return {
        status: 200,
        body: {
          person: { upn: person.upn, name: person.name },
          value: this.deps.inbox.list(person.id).map(describe),
        },
      };
    }
    if (method === 'POST' && verb === 'phone') {
      const parsed = PhoneBody.safeParse(body);
      if (!parsed.success)
        return problem(400, `Say what the phone does: ${PHONE_ACTIONS.join(', ')}.`);
      const result = this.deps.phones.act(person, parsed.data.action);
      return { status: result.ok ? 200 : 409, body: result };
    }
    if (method === 'POST' && (verb === 'say' || verb === 'press')) {
      if (person.id === this.deps.clientUserId)
        return problem(409, `${person.name} is signed in to the playground: do it there.`);
      return verb === 'say' ? this.say(person, body) : this.press(person, body);
    }
    return undefined;
  }

  private person(who: string): DemoPerson | Reply {
    const found = this.deps.roster.find(decodeURIComponent(who));
    if (!found) return problem(404, `Nobody called "${who}" works at the demo practice.`);
    if ('ambiguous' in found)
      return problem(
        409,
        `"${who}" could be ${found.ambiguous.map((p) => p.upn).join(' or ')}. Use the sign-in name.`,
      );
    return found;
  }

  private time(method: string, body: unknown): Reply {
    const { time } = this.deps;
    if (method === 'POST') {
      const parsed = TimeBody.safeParse(body);
      const ms = parsed.success ? parseAdvance(parsed.data.advance) : undefined;
      if (ms === undefined)
        return problem(400, 'Say how far to move the demo clock, like +1d, +3h or +30m.');
      time.advance(ms);
    } else if (method !== 'GET') return problem(405, 'GET or POST');
    const now = time.clock.now();
    const offset = time.clock.offsetMs;
    return {
      status: 200,
      body: {
        now: now.toISOString(),
        offsetMs: offset,
        text: offset
          ? `Demo time is ${aheadBy(offset)} ahead of real time.`
          : 'Demo time is real time.',
      },
    };
  }

  private chatOf(person: DemoPerson): string {
    return personalChatId(person.id, this.deps.appId);
  }

  private async say(person: DemoPerson, body: unknown): Promise<Reply> {
    const parsed = SayBody.safeParse(body);
    if (!parsed.success) return problem(400, 'Say what they type (up to 500 characters).');
    await this.deps.link.say(person, this.chatOf(person), parsed.data.text);
    return { status: 200, body: { text: `${person.givenName} said it to the bot.` } };
  }

  /** Presses a button on the newest card that has it, with the card's inputs filled in. */
  private async press(person: DemoPerson, body: unknown): Promise<Reply> {
    const parsed = PressBody.safeParse(body);
    if (!parsed.success) return problem(400, 'Name the button to press.');
    const { button: title, inputs } = parsed.data;
    const messages = this.deps.inbox.list(person.id).reverse();
    for (const m of messages) {
      const button =
        m.card && buttons(m.card).find((b) => b.title.toLowerCase() === title.toLowerCase());
      if (!button) continue;
      const data = { ...(button.data as Record<string, unknown>), ...inputs };
      const answer = await this.deps.link.press(person, m.conversationId, m.id, {
        ...button,
        data,
      });
      if (answer)
        this.deps.inbox.replace(
          person.id,
          m.id,
          { card: answer },
          this.deps.time.clock.now().toISOString(),
        );
      return { status: 200, body: { text: `${person.givenName} pressed "${button.title}".` } };
    }
    return problem(404, `${person.givenName} has no card with a "${title}" button.`);
  }
}

/** "1 day", "2.5 days", "3 hours", "30 minutes". */
function aheadBy(ms: number): string {
  const [amount, unit] =
    ms >= 86_400_000
      ? [ms / 86_400_000, 'day']
      : ms >= 3_600_000
        ? [ms / 3_600_000, 'hour']
        : [ms / 60_000, 'minute'];
  const rounded = Math.round(amount * 10) / 10;
  return `${rounded} ${unit}${rounded === 1 ? '' : 's'}`;
}
