/**
 * Explainers: `responses/<lang>/<intent>.md`, WhatsApp-formatted text with YAML front matter (SPEC §5).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LANGS, type IntentId, type Lang } from '../nlu/types';

/** A follow-up section of an explainer (`## <id>: <Title>`), offered as a numbered option after the main text. */
export interface ExplainerSection {
  /** Lower-case letters, digits and hyphens; the same in both languages of one intent. */
  readonly id: string;
  /** Short menu label the client sees ("*1* Bond hearings after the 2025 changes"). */
  readonly title: string;
  /** The section text, WhatsApp-formatted, placeholders not yet filled. */
  readonly body: string;
  /** Lower-case words or phrases (from the front matter `keywords`) that mean the client asks for this section. */
  readonly keywords: readonly string[];
}

/** One explainer as written, before placeholders are filled. */
export interface Explainer {
  readonly intent: IntentId;
  readonly lang: Lang;
  readonly title: string;
  /** ISO date an attorney last reviewed it (YYYY-MM-DD), or undefined when missing. */
  readonly reviewed?: string;
  readonly sources: readonly string[];
  /** The main text only: everything before the first `## ` section line. */
  readonly body: string;
  /** One or two sentences shown instead of the whole text when the client asks about the topic again. */
  readonly reminder?: string;
  /** Follow-up sections in file order; empty when the file has none. */
  readonly sections: readonly ExplainerSection[];
}

/** Values for `{{placeholders}}`; a missing or empty value drops the whole line that uses it. */
export type Placeholders = Readonly<Record<string, string | undefined>>;

/** A response file that cannot be used. */
export class ContentError extends Error {}

/** A section id: lower-case letters and digits, words joined by single hyphens. */
const SECTION_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A section line: `## <id>: <Title>`. */
const SECTION_LINE = /^##\s+([^:\s]+)\s*:\s*(.*?)\s*$/;

/**
 * Parses one explainer file. Throws {@link ContentError} naming the file when the front matter or a section is
 * malformed.
 *
 * Format: YAML front matter (`title`, `reviewed`, `sources`, optional `reminder` and `keywords`), then the main
 * text, then optional sections, each starting with a line `## <id>: <Title>`.
 */
export function parseExplainer(source: string, intent: IntentId, lang: Lang, file = `${lang}/${intent}.md`): Explainer {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!match) throw new ContentError(`${file}: missing front matter (--- title/reviewed/sources ---)`);
  let meta: Record<string, unknown>;
  try {
    meta = (parse(match[1]) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new ContentError(`${file}: front matter is not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (typeof meta !== 'object' || Array.isArray(meta)) throw new ContentError(`${file}: front matter must be a YAML mapping`);
  if (typeof meta.title !== 'string' || !meta.title.trim()) throw new ContentError(`${file}: front matter needs a title`);
  const reviewed = meta.reviewed instanceof Date ? meta.reviewed.toISOString().slice(0, 10) : typeof meta.reviewed === 'string' ? meta.reviewed : undefined;
  const sources = Array.isArray(meta.sources) ? meta.sources.filter((s): s is string => typeof s === 'string') : [];
  let reminder: string | undefined;
  if (meta.reminder !== undefined && meta.reminder !== null) {
    if (typeof meta.reminder !== 'string' || !meta.reminder.trim()) throw new ContentError(`${file}: reminder must be a non-empty text`);
    reminder = meta.reminder.trim();
  }
  const { body, sections } = splitSections(match[2], file, countLines(source.slice(0, source.length - match[2].length)));
  if (!body) throw new ContentError(`${file}: the main text is empty (write it before the first "## " section)`);
  const keywords = parseKeywords(meta.keywords, sections, file);
  return {
    intent,
    lang,
    title: meta.title.trim(),
    reviewed,
    sources,
    body,
    reminder,
    sections: sections.map((s) => ({ ...s, keywords: keywords.get(s.id) ?? [] })),
  };
}

function countLines(text: string): number {
  return text.split('\n').length - 1;
}

/** Splits the text after the front matter into the main text and its `## id: Title` sections. */
function splitSections(text: string, file: string, firstLine: number): { body: string; sections: { id: string; title: string; body: string }[] } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const main: string[] = [];
  const sections: { id: string; title: string; lines: string[]; line: number }[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('## ')) {
      (sections.length ? sections[sections.length - 1].lines : main).push(line);
      return;
    }
    const where = `${file}:${firstLine + i + 1}`;
    const header = SECTION_LINE.exec(line);
    if (!header) throw new ContentError(`${where}: a section line must read "## <id>: <Title>"`);
    const [, id, title] = header;
    if (!SECTION_ID.test(id)) throw new ContentError(`${where}: section id "${id}" must use lower-case letters, digits and hyphens`);
    if (!title) throw new ContentError(`${where}: section "${id}" needs a title after the colon`);
    if (sections.some((s) => s.id === id)) throw new ContentError(`${where}: section "${id}" appears twice`);
    sections.push({ id, title, lines: [], line: firstLine + i + 1 });
  });
  return {
    body: main.join('\n').trim(),
    sections: sections.map((s) => {
      const body = s.lines.join('\n').trim();
      if (!body) throw new ContentError(`${file}:${s.line}: section "${s.id}" is empty`);
      return { id: s.id, title: s.title, body };
    }),
  };
}

/** Reads `keywords:` (section id → list of words), checking every id names a section of the file. */
function parseKeywords(raw: unknown, sections: readonly { id: string }[], file: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  if (raw === undefined || raw === null) return result;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ContentError(`${file}: keywords must map section ids to lists of words`);
  for (const [id, words] of Object.entries(raw as Record<string, unknown>)) {
    if (!sections.some((s) => s.id === id)) throw new ContentError(`${file}: keywords name "${id}", which is not a section of this file`);
    if (!Array.isArray(words) || words.length === 0 || !words.every((w) => typeof w === 'string' && w.trim())) {
      throw new ContentError(`${file}: keywords for "${id}" must be a non-empty list of words`);
    }
    result.set(id, [...new Set(words.map((w: string) => w.trim().toLowerCase().replace(/\s+/g, ' ')))]);
  }
  return result;
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

  /** One section of an explainer, or undefined when that explainer or section does not exist. */
  section(intent: IntentId, lang: Lang, id: string): ExplainerSection | undefined {
    return this.get(intent, lang)?.sections.find((s) => s.id === id);
  }

  /**
   * Intents whose two languages do not have the same section ids in the same order, or not the same `keywords`
   * ids. Both languages must match so a numbered follow-up means the same thing in either language.
   */
  sectionMismatches(): { intent: IntentId; en: string[]; es: string[]; problem: 'sections' | 'keywords' }[] {
    const result: { intent: IntentId; en: string[]; es: string[]; problem: 'sections' | 'keywords' }[] = [];
    const intents = [...new Set(this.all().map((e) => e.intent))].sort();
    for (const intent of intents) {
      const en = this.get(intent, 'en');
      const es = this.get(intent, 'es');
      if (!en || !es) continue;
      const ids = (e: Explainer) => e.sections.map((s) => s.id);
      const withKeywords = (e: Explainer) => e.sections.filter((s) => s.keywords.length > 0).map((s) => s.id);
      if (ids(en).join('\n') !== ids(es).join('\n')) result.push({ intent, en: ids(en), es: ids(es), problem: 'sections' });
      else if (withKeywords(en).join('\n') !== withKeywords(es).join('\n')) result.push({ intent, en: withKeywords(en), es: withKeywords(es), problem: 'keywords' });
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
