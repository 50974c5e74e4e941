/**
 * Explainers: `responses/<lang>/<intent>.md`, WhatsApp-formatted text with YAML front matter (SPEC §5).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LANGS, type IntentId, type Lang } from '../nlu/types';

/** One explainer as written, before placeholders are filled. */
export interface Explainer {
  readonly intent: IntentId;
  readonly lang: Lang;
  readonly title: string;
  /** ISO date an attorney last reviewed it (YYYY-MM-DD), or undefined when missing. */
  readonly reviewed?: string;
  readonly sources: readonly string[];
  readonly body: string;
}

/** Values for `{{placeholders}}`; a missing or empty value drops the whole line that uses it. */
export type Placeholders = Readonly<Record<string, string | undefined>>;

/** A response file that cannot be used. */
export class ContentError extends Error {}

/** Parses one explainer file. Throws {@link ContentError} naming the file when the front matter is malformed. */
export function parseExplainer(source: string, intent: IntentId, lang: Lang, file = `${lang}/${intent}.md`): Explainer {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!match) throw new ContentError(`${file}: missing front matter (--- title/reviewed/sources ---)`);
  let meta: Record<string, unknown>;
  try {
    meta = (parse(match[1]) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new ContentError(`${file}: front matter is not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (typeof meta.title !== 'string' || !meta.title.trim()) throw new ContentError(`${file}: front matter needs a title`);
  const body = match[2].trim();
  if (!body) throw new ContentError(`${file}: the text is empty`);
  const reviewed = meta.reviewed instanceof Date ? meta.reviewed.toISOString().slice(0, 10) : typeof meta.reviewed === 'string' ? meta.reviewed : undefined;
  const sources = Array.isArray(meta.sources) ? meta.sources.filter((s): s is string => typeof s === 'string') : [];
  return { intent, lang, title: meta.title.trim(), reviewed, sources, body };
}

/** All explainers, looked up by intent and language. */
export class ExplainerLibrary {
  private readonly byKey = new Map<string, Explainer>();

  constructor(explainers: Iterable<Explainer>) {
    for (const e of explainers) this.byKey.set(`${e.lang}/${e.intent}`, e);
  }

  /** Loads `responses/en` and `responses/es`. Throws {@link ContentError} for a malformed file. */
  static load(dir: string): ExplainerLibrary {
    const all: Explainer[] = [];
    for (const lang of LANGS) {
      const folder = join(dir, lang);
      if (!existsSync(folder)) continue;
      for (const name of readdirSync(folder).filter((n) => n.endsWith('.md')).sort()) {
        const intent = name.slice(0, -3);
        all.push(parseExplainer(readFileSync(join(folder, name), 'utf8'), intent, lang, `${lang}/${name}`));
      }
    }
    return new ExplainerLibrary(all);
  }

  /** The explainer, or undefined when that language has none. */
  get(intent: IntentId, lang: Lang): Explainer | undefined {
    return this.byKey.get(`${lang}/${intent}`);
  }

  /** The title in `lang`, falling back to the other language, then to the id itself. */
  title(intent: IntentId, lang: Lang): string {
    return (this.get(intent, lang) ?? this.get(intent, lang === 'en' ? 'es' : 'en'))?.title ?? intent;
  }

  /** Every explainer. */
  all(): Explainer[] {
    return [...this.byKey.values()];
  }

  /** Intents that have an explainer in one language but not the other. */
  missingTranslations(): { intent: IntentId; missing: Lang }[] {
    const intents = new Set(this.all().map((e) => e.intent));
    const result: { intent: IntentId; missing: Lang }[] = [];
    for (const intent of [...intents].sort()) {
      for (const lang of LANGS) if (!this.get(intent, lang)) result.push({ intent, missing: lang });
    }
    return result;
  }
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

/**
 * Fills `{{name}}` placeholders. A line whose placeholder has no value is left out entirely (SPEC §5), so nothing
 * is ever invented and no "{{" or "undefined" reaches a client. Runs of blank lines left behind are collapsed.
 */
export function render(body: string, values: Placeholders): string {
  const lines: string[] = [];
  for (const line of body.split('\n')) {
    let missing = false;
    const filled = line.replace(PLACEHOLDER, (_, key: string) => {
      const value = values[key]?.trim();
      if (!value) missing = true;
      return value ?? '';
    });
    if (!missing) lines.push(filled);
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
