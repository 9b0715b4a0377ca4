import { FilterError, type Predicate } from './filters';

/**
 * The $filter subset Graph documents for the sign-in log and risk detections: comparisons on named
 * properties joined with `and`. Date-times are unquoted literals (`createdDateTime ge
 * 2026-01-05T09:00:00Z`), strings are quoted, and each property allows only its documented
 * operators. Anything else is refused (FilterError), never silently answered wrong.
 */

type Operator = 'eq' | 'ge' | 'le' | 'startswith';

export interface FieldRule {
  type: 'datetime' | 'string' | 'int';
  ops: readonly Operator[];
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;
const COMPARISON = /^([A-Za-z]+(?:\/[A-Za-z]+)?)\s+(eq|ge|le|gt|lt|ne)\s+(.+)$/i;
const STARTS_WITH = /^startswith\(\s*([A-Za-z]+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i;

/** Splits on ` and ` outside quoted strings. */
function clauses(filter: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < filter.length; i += 1) {
    const c = filter[i]!;
    if (c === "'") quoted = !quoted;
    const and = quoted ? null : /^\s+and\s+/i.exec(filter.slice(i));
    if (and) {
      parts.push(current.trim());
      current = '';
      i += and[0].length - 1;
      continue;
    }
    current += c;
  }
  if (quoted) throw new FilterError('unterminated string literal');
  parts.push(current.trim());
  if (parts.some((p) => !p)) throw new FilterError('empty clause');
  return parts;
}

function valueAt(row: Record<string, unknown>, path: string): unknown {
  let value: unknown = row;
  for (const key of path.split('/')) {
    value =
      value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

function literal(rule: FieldRule, field: string, text: string): string | number {
  if (rule.type === 'datetime') {
    if (text.startsWith("'")) {
      throw new FilterError(`${field} takes an unquoted date-time such as 2026-01-05T09:00:00Z`);
    }
    if (!DATETIME.test(text) || Number.isNaN(Date.parse(text))) {
      throw new FilterError(`'${text}' is not a date-time`);
    }
    return Date.parse(text);
  }
  if (rule.type === 'int') {
    if (!/^-?\d+$/.test(text)) throw new FilterError(`${field} needs a whole number`);
    return Number(text);
  }
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  if (!quoted) throw new FilterError(`${field} needs a quoted string`);
  return quoted[1]!.replace(/''/g, "'").toLowerCase();
}

function comparable(rule: FieldRule, value: unknown): string | number | undefined {
  if (rule.type === 'datetime') return typeof value === 'string' ? Date.parse(value) : undefined;
  if (rule.type === 'int') return typeof value === 'number' ? value : undefined;
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}

function clause(text: string, fields: Record<string, FieldRule>): Predicate {
  const starts = STARTS_WITH.exec(text);
  if (starts) {
    const field = starts[1]!;
    const rule = fields[field];
    if (!rule?.ops.includes('startswith'))
      throw new FilterError(`startsWith is not supported on '${field}'`);
    const prefix = starts[2]!.replace(/''/g, "'").toLowerCase();
    return (row) => String(comparable(rule, valueAt(row, field)) ?? '').startsWith(prefix);
  }
  const match = COMPARISON.exec(text);
  if (!match) throw new FilterError(`cannot read '${text}'`);
  const field = match[1]!;
  const op = match[2]!.toLowerCase() as Operator;
  const rule = fields[field];
  if (!rule) throw new FilterError(`'${field}' cannot be filtered`);
  if (!rule.ops.includes(op)) throw new FilterError(`'${op}' is not supported on '${field}'`);
  const wanted = literal(rule, field, match[3]!.trim());
  return (row) => {
    const value = comparable(rule, valueAt(row, field));
    if (value === undefined || Number.isNaN(value)) return false;
    if (op === 'ge') return value >= wanted;
    if (op === 'le') return value <= wanted;
    return value === wanted;
  };
}

export function parseLogFilter(filter: string, fields: Record<string, FieldRule>): Predicate {
  if (!filter.trim()) throw new FilterError('empty filter');
  const predicates = clauses(filter).map((c) => clause(c, fields));
  return (row) => predicates.every((p) => p(row));
}

const EQ: readonly Operator[] = ['eq'];
const DATE_OPS: readonly Operator[] = ['eq', 'ge', 'le'];

/** What /auditLogs/signIns documents (v1.0); beta adds authenticationRequirement. */
export const SIGN_IN_FILTER_FIELDS: Record<string, FieldRule> = {
  createdDateTime: { type: 'datetime', ops: DATE_OPS },
  userId: { type: 'string', ops: EQ },
  appId: { type: 'string', ops: EQ },
  userPrincipalName: { type: 'string', ops: ['eq', 'startswith'] },
  'status/errorCode': { type: 'int', ops: EQ },
  conditionalAccessStatus: { type: 'string', ops: EQ },
};

export const BETA_SIGN_IN_FILTER_FIELDS: Record<string, FieldRule> = {
  ...SIGN_IN_FILTER_FIELDS,
  authenticationRequirement: { type: 'string', ops: ['eq', 'startswith'] },
};

/** Risk detections: the docs do not settle which properties filter; these are the likely ones. */
export const RISK_FILTER_FIELDS: Record<string, FieldRule> = {
  detectedDateTime: { type: 'datetime', ops: DATE_OPS },
  userId: { type: 'string', ops: EQ },
  userPrincipalName: { type: 'string', ops: EQ },
  riskEventType: { type: 'string', ops: EQ },
  riskLevel: { type: 'string', ops: EQ },
};
