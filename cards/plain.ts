/**
 * Words from someone the card's reader should not take on trust (a requester's note, a question,
 * a display name), made safe to show: one line, no Markdown, no live links. A card then cannot be
 * dressed up by its requester: "**IDENTITY VERIFIED**" shows as plain words, a link as text.
 */

const MARKDOWN = /[*_~`#>|[\]\\]/g;
const LIST_MARKER = /^\s*(?:[-+•]|\d+[.)])\s+/;
const URL_LIKE = /\b((?:[a-z][a-z0-9+.-]*):\/\/|www\.)([^\s]*)/gi;
const EMAIL_LIKE = /\b([^\s@]+)@([^\s@]+\.[^\s@]+)/g;

/** Defangs what a client could turn into a link: "https://evil.example" → "https[:]//evil[.]example". */
function defang(text: string): string {
  return text
    .replace(
      URL_LIKE,
      (_m, scheme: string, rest: string) =>
        `${scheme.replace('://', '[:]//').replace(/\./g, '[.]')}${rest.replace(/\./g, '[.]')}`,
    )
    .replace(
      EMAIL_LIKE,
      (_m, name: string, domain: string) => `${name} [at] ${domain.replace(/\./g, '[.]')}`,
    )
    .replace(
      /\b([a-z0-9-]+)\.(com|net|org|io|example|info|biz|ru|cn|xyz|co|us|app|link|site|online|top)\b/gi,
      '$1[.]$2',
    );
}

export function plainText(value: string | null | undefined, max = 300): string {
  if (!value) return '';
  const oneLine = value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const text = defang(oneLine.replace(LIST_MARKER, '').replace(MARKDOWN, ''))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
