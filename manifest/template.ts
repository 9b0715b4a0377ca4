import fs from 'node:fs';
import { z } from 'zod';
import { assetPath } from '../services/paths';
import type { CommandList } from './commands';

const TEMPLATE_PATH = assetPath('manifest', 'manifest.template.json');

/** `${{NAME}}`, the placeholder syntax the Microsoft 365 Agents Toolkit also uses. */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const JsonValue: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValue),
    z.record(z.string(), JsonValue),
  ]),
);

/** The parts of the template the build relies on; everything else passes through untouched. */
const TemplateSchema = z.looseObject({
  $schema: z.string(),
  manifestVersion: z.string().regex(/^1\.\d+$/),
  bots: z.tuple([z.record(z.string(), JsonValue)]),
});

export interface ManifestTemplate {
  $schema: string;
  manifestVersion: string;
  /** The whole template, in its own key order. */
  json: Record<string, Json>;
}

export function readTemplate(file: string = TEMPLATE_PATH): ManifestTemplate {
  const raw: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const { $schema, manifestVersion } = TemplateSchema.parse(raw);
  return { $schema, manifestVersion, json: z.record(z.string(), JsonValue).parse(raw) };
}

/**
 * The manifest: the template with the bot's command lists added and every placeholder replaced
 * inside JSON strings (so a value can never change the JSON's structure). A placeholder with no
 * value is reported, never left in.
 */
export function fillTemplate(
  template: ManifestTemplate,
  commandLists: readonly CommandList[],
  values: Readonly<Record<string, string>>,
): { manifest: Record<string, unknown>; unknown: string[] } {
  const [bot] = TemplateSchema.parse(template.json).bots;
  const withCommands = { ...template.json, bots: [{ ...bot, commandLists }] };
  const unknown = new Set<string>();
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(PLACEHOLDER, (whole, name: string) => {
        const replacement = values[name];
        if (replacement === undefined) unknown.add(name);
        return replacement ?? whole;
      });
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    }
    return value;
  };
  const manifest = z.record(z.string(), z.unknown()).parse(fill(withCommands));
  return { manifest, unknown: [...unknown] };
}
