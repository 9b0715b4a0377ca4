/**
 * The $filter subset Graph accepts on userRegistrationDetails: `eq` on the is* booleans and a few
 * strings, `methodsRegistered/any(x:x eq '...')`, joined with `and`. Anything else is refused
 * (FilterError), never silently answered wrong.
 */

export class FilterError extends Error {}

type Row = Record<string, unknown>;
export type Predicate = (row: Row) => boolean;

// isAdmin and userType are in the rows but Graph does not document filtering on them: refused.
const BOOLEAN_FIELDS = new Set([
  'isMfaCapable',
  'isMfaRegistered',
  'isPasswordlessCapable',
  'isSsprCapable',
  'isSsprEnabled',
  'isSsprRegistered',
  'isSystemPreferredAuthenticationMethodEnabled',
]);
const STRING_FIELDS = new Set(['id', 'userPrincipalName', 'userDisplayName']);
const COLLECTION_FIELDS = new Set(['methodsRegistered', 'systemPreferredAuthenticationMethods']);
const USER_TYPES = new Set(['member', 'guest']);

type Token =
  | { kind: 'name'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'punct'; text: '(' | ')' | ':' | '/' };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '(' || c === ')' || c === ':' || c === '/') {
      tokens.push({ kind: 'punct', text: c });
      i += 1;
    } else if (c === "'") {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= input.length) throw new FilterError('unterminated string literal');
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        text += input[i];
        i += 1;
      }
      tokens.push({ kind: 'string', text });
    } else {
      const match = /^[A-Za-z0-9_.@-]+/.exec(input.slice(i));
      if (!match) throw new FilterError(`unexpected character '${c}'`);
      tokens.push({ kind: 'name', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Predicate {
    const clauses: Predicate[] = [this.clause()];
    while (this.peekName('and')) {
      this.pos += 1;
      clauses.push(this.clause());
    }
    if (this.pos < this.tokens.length) {
      throw new FilterError('unexpected text after the expression');
    }
    return (row) => clauses.every((c) => c(row));
  }

  private clause(): Predicate {
    const field = this.name();
    if (this.peekPunct('/')) return this.any(field);
    this.keyword('eq');
    if (BOOLEAN_FIELDS.has(field)) {
      const value = this.name();
      if (value !== 'true' && value !== 'false') {
        throw new FilterError(`${field} needs true or false`);
      }
      const wanted = value === 'true';
      return (row) => row[field] === wanted;
    }
    if (STRING_FIELDS.has(field)) {
      const value = this.string();
      if (field === 'userType') {
        const type = value.toLowerCase();
        if (!USER_TYPES.has(type)) throw new FilterError(`unknown userType '${value}'`);
        return (row) => row.userType === type;
      }
      return (row) => String(row[field]).toLowerCase() === value.toLowerCase();
    }
    throw new FilterError(`'${field}' cannot be filtered`);
  }

  /** methodsRegistered/any(x:x eq 'value') */
  private any(field: string): Predicate {
    if (!COLLECTION_FIELDS.has(field)) throw new FilterError(`'${field}' is not a collection`);
    this.punct('/');
    this.keyword('any');
    this.punct('(');
    const variable = this.name();
    this.punct(':');
    if (this.name() !== variable) throw new FilterError('lambda variable mismatch');
    this.keyword('eq');
    const value = this.string();
    this.punct(')');
    return (row) => Array.isArray(row[field]) && (row[field] as unknown[]).includes(value);
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (!token) throw new FilterError('unexpected end of the expression');
    this.pos += 1;
    return token;
  }

  private name(): string {
    const token = this.next();
    if (token.kind !== 'name') throw new FilterError(`expected a name, found '${token.text}'`);
    return token.text;
  }

  private string(): string {
    const token = this.next();
    if (token.kind !== 'string') {
      throw new FilterError(`expected a quoted string, found '${token.text}'`);
    }
    return token.text;
  }

  private keyword(word: string): void {
    const token = this.next();
    if (token.kind !== 'name' || token.text.toLowerCase() !== word) {
      throw new FilterError(`expected '${word}', found '${token.text}'`);
    }
  }

  private punct(text: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text) {
      throw new FilterError(`expected '${text}', found '${token.text}'`);
    }
  }

  private peekName(word: string): boolean {
    const token = this.tokens[this.pos];
    return token?.kind === 'name' && token.text.toLowerCase() === word;
  }

  private peekPunct(text: string): boolean {
    const token = this.tokens[this.pos];
    return token?.kind === 'punct' && token.text === text;
  }
}

/** Parses a registration report $filter into a row predicate; throws FilterError. */
export function parseRegistrationFilter(filter: string): Predicate {
  if (!filter.trim()) throw new FilterError('empty filter');
  return new Parser(tokenize(filter)).parse();
}

/** `teamsApp/id eq '...'` (or externalId) on installedApps. */
export function parseInstalledAppFilter(filter: string): {
  field: 'id' | 'externalId';
  value: string;
} {
  const match = /^\s*teamsApp\/(id|externalId)\s+eq\s+'([^']*)'\s*$/i.exec(filter);
  if (!match) throw new FilterError("only teamsApp/id eq '...' is supported here");
  return { field: match[1]!.toLowerCase() === 'id' ? 'id' : 'externalId', value: match[2]! };
}
