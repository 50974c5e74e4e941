/**
 * `npx puente content`: every explainer with its review date, sources and length, oldest review first, so the
 * firm sees what an attorney should recheck next. Pure: a library in, rows (or text) out.
 */
import type { Explainer, ExplainerLibrary } from './explainers';
import type { IntentId, Lang } from '../nlu/types';

/** One explainer in the report. */
export interface ContentRow {
  readonly intent: IntentId;
  readonly lang: Lang;
  readonly title: string;
  /** YYYY-MM-DD, or undefined when the file has no date (listed first). */
  readonly reviewed?: string;
  readonly sourceCount: number;
  readonly sources: readonly string[];
  /** Characters of the main text as written (placeholders not filled). */
  readonly mainLength: number;
  readonly sectionCount: number;
  /** The longest section as written, or undefined when there are none. */
  readonly longestSection?: { readonly id: string; readonly length: number };
  readonly hasReminder: boolean;
}

const chars = (text: string) => [...text].length;

function row(e: Explainer): ContentRow {
  let longest: { id: string; length: number } | undefined;
  for (const s of e.sections) {
    const length = chars(s.body);
    if (!longest || length > longest.length) longest = { id: s.id, length };
  }
  return {
    intent: e.intent,
    lang: e.lang,
    title: e.title,
    reviewed: e.reviewed,
    sourceCount: e.sources.length,
    sources: e.sources,
    mainLength: chars(e.body),
    sectionCount: e.sections.length,
    longestSection: longest,
    hasReminder: e.reminder !== undefined,
  };
}

/** Every explainer, oldest `reviewed` first (missing dates before all), then by intent and language. */
export function contentReport(library: Pick<ExplainerLibrary, 'all'>): ContentRow[] {
  return library
    .all()
    .map(row)
    .sort((a, b) => (a.reviewed ?? '').localeCompare(b.reviewed ?? '') || a.intent.localeCompare(b.intent) || a.lang.localeCompare(b.lang));
}

/** The report as a plain-text table, one explainer per line. */
export function formatContentReport(rows: readonly ContentRow[]): string {
  const header = ['reviewed', 'intent', 'lang', 'main', 'sections', 'longest', 'sources', 'title'];
  const cells = rows.map((r) => [
    r.reviewed ?? 'MISSING',
    r.intent,
    r.lang,
    String(r.mainLength),
    String(r.sectionCount),
    r.longestSection ? `${r.longestSection.length} (${r.longestSection.id})` : '-',
    String(r.sourceCount),
    r.title,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]))).join('  ').trimEnd();
  const undated = rows.filter((r) => !r.reviewed).length;
  const summary = `${rows.length} explainers, oldest review first${undated ? `; ${undated} without a reviewed date` : ''}. Lengths are characters as written; the limit is 700 per main text and per section.`;
  return [summary, '', line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}
