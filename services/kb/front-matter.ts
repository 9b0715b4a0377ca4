import { KbLoadError } from './errors';

type FrontMatterValue = string | string[];

export interface ParsedDocument {
  data: Record<string, FrontMatterValue>;
  body: string;
}

const KEY_LINE = /^([A-Za-z][A-Za-z0-9]*):(?:\s+(.*))?$/;
const ITEM_LINE = /^\s+-\s+(.+)$/;

/**
 * A deliberately small front-matter reader: `key: value` lines, and `key:` followed by
 * `  - item` lines for lists. Anything else is an error naming the file and the field.
 */
export function parseFrontMatter(text: string, file: string): ParsedDocument {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') {
    throw new KbLoadError(file, 'front matter', 'the file must start with a --- line');
  }
  const end = lines.indexOf('---', 1);
  if (end < 0) throw new KbLoadError(file, 'front matter', 'no closing --- line');

  const data: Record<string, FrontMatterValue> = {};
  let listKey: string | undefined;
  for (let i = 1; i < end; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const item = ITEM_LINE.exec(line);
    if (item) {
      const list = listKey === undefined ? undefined : data[listKey];
      if (!Array.isArray(list)) {
        const field = listKey ?? 'front matter';
        throw new KbLoadError(file, field, `line ${i + 1}: list item without a list key`);
      }
      list.push((item[1] ?? '').trim());
      continue;
    }
    const kv = KEY_LINE.exec(line);
    if (!kv) throw new KbLoadError(file, 'front matter', `line ${i + 1}: expected "key: value"`);
    const key = kv[1] ?? '';
    if (Object.prototype.hasOwnProperty.call(data, key)) {
      throw new KbLoadError(file, key, `line ${i + 1}: appears twice`);
    }
    const value = (kv[2] ?? '').trim();
    data[key] = value === '' ? [] : value;
    listKey = value === '' ? key : undefined;
  }
  return { data, body: lines.slice(end + 1).join('\n') };
}
