import { COMMANDS, type Command } from '../bot/commands';

/** Limits Teams puts on a bot's command menu (stricter than the schema, which allows more). */
const COMMAND_LIMITS = { title: 32, description: 128, perList: 10 } as const;

type BotScope = 'personal' | 'team';

export interface CommandList {
  scopes: BotScope[];
  commands: Array<{ title: string; description: string }>;
}

/**
 * Which commands each scope's menu shows. Teams takes one command list per scope: the personal
 * chat carries staff commands and then admin commands; the IT team's channel carries the IT
 * commands. Every action still checks the caller's role itself.
 */
interface Menu {
  scope: BotScope;
  audiences: ReadonlyArray<Command['audience']>;
}

const MENUS: readonly Menu[] = [
  { scope: 'personal', audiences: ['staff', 'admin'] },
  { scope: 'team', audiences: ['it'] },
];

/** The manifest's `commandLists`, generated from the bot's own command list. */
export function commandLists(commands: readonly Command[] = COMMANDS): CommandList[] {
  return MENUS.map(({ scope, audiences }) => ({
    scopes: [scope],
    commands: audiences.flatMap((audience) =>
      commands
        .filter((c) => c.audience === audience)
        .map((c) => ({ title: c.title, description: c.description })),
    ),
  }));
}

/** Every way the lists break Teams' limits, one line each. */
export function commandListProblems(lists: readonly CommandList[]): string[] {
  const { title: maxTitle, description: maxDescription, perList } = COMMAND_LIMITS;
  const problems: string[] = [];
  for (const list of lists) {
    const where = `${list.scopes.join('/')} command list`;
    const count = list.commands.length;
    if (count > perList) problems.push(`${where} has ${count} commands; Teams shows ${perList}`);
    if (count === 0) problems.push(`${where} is empty`);
    for (const { title, description } of list.commands) {
      if (title.length > maxTitle) {
        problems.push(`${where}: title "${title}" is longer than ${maxTitle} characters`);
      }
      if (description.length > maxDescription) {
        problems.push(
          `${where}: description of "${title}" is longer than ${maxDescription} characters`,
        );
      }
    }
  }
  return problems;
}
