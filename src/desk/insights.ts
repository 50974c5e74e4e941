/**
 * Insights and content that help the firm: messages per day, conversations by the language Puente kept for them,
 * topics by their titles, what Puente did not understand, a sample of confident answers to check (a "wrong answer"
 * mark joins the training export), and every explainer with its review date, sources and length in both languages.
 */
import { stringify } from 'yaml';
import { contentReport, type ContentRow } from '../content/report';
import { LANGS, NONE, type Lang } from '../nlu/types';
import type { AnswerSample } from '../store';
import type { Actor, DeskContext } from './context';
import { DeskError } from './errors';

/** Explainers older than this need review (SPEC §8). */
export const STALE_DAYS = 180;
/** Main texts longer than this read badly on a phone (SPEC §5). */
export const LONG_TEXT = 900;
/** An answer at this confidence or more was given without "did you mean". */
export const CONFIDENT = 0.6;
const DAY_MS = 86_400_000;

/** What Puente's own turn kinds are called on the insights page (they have no explainer title). */
const TURN_TITLES: Readonly<Record<string, string>> = {
  consultation_manage: 'Changing or cancelling a consultation',
  advice: 'Free question for the team',
  media: 'Voice notes, photos and files',
  chitchat: 'Greetings and small talk',
};

/** Usage figures for the insights page. */
export interface Insights {
  readonly days: number;
  readonly perDay: { day: string; messages: number; fallback: number }[];
  /** Topics by their titles, most asked first. */
  readonly intents: { intent: string; title: string; count: number }[];
  /** Conversations with client messages in the period, by the language Puente kept for each. */
  readonly languages: { lang: string; count: number }[];
  readonly total: number;
  /** Share of classified client messages answered `none` (did-you-mean or out of scope). */
  readonly fallbackRate: number;
  readonly unrecognised: { text: string; lang: string | null; count: number }[];
  /** Confident answers to check, newest first (marked ones show who marked them). */
  readonly answers: (AnswerSample & { title: string })[];
}

/** One explainer in both languages, for the content page. */
export interface ContentItem {
  readonly intent: string;
  readonly title: string;
  readonly en?: ContentRow & { readonly stale: boolean; readonly long: boolean };
  readonly es?: ContentRow & { readonly stale: boolean; readonly long: boolean };
  /** Something an attorney should look at: a missing language, no or an old review date, a text too long. */
  readonly needsReview: boolean;
}

export class InsightsDesk {
  constructor(private readonly ctx: DeskContext) {}

  /** A topic's title as staff read it. */
  title(intent: string): string {
    if (TURN_TITLES[intent]) return TURN_TITLES[intent];
    if (intent === NONE) return 'Not understood';
    return this.ctx.deps.library.title(intent, 'en');
  }

  /** The figures over the last `days`. */
  async insights(days = 30): Promise<Insights> {
    const now = this.ctx.now();
    const from = new Date(now.getTime() - days * DAY_MS);
    const [rows, languages, unrecognised, sample] = await Promise.all([
      this.ctx.store.inboundSince(from), this.ctx.store.conversationLanguages(from), this.ctx.store.unrecognised(from, 50), this.ctx.store.answers(from, CONFIDENT, 200),
    ]);
    const perDay = new Map<string, { messages: number; fallback: number }>();
    const intents = new Map<string, number>();
    let classified = 0;
    let fallback = 0;
    for (const row of rows) {
      const day = this.ctx.dayOf(new Date(row.at));
      const entry = perDay.get(day) ?? { messages: 0, fallback: 0 };
      entry.messages++;
      if (row.intent && !row.intent.includes(':')) {
        intents.set(row.intent, (intents.get(row.intent) ?? 0) + 1);
        classified++;
        if (row.intent === NONE) {
          fallback++;
          entry.fallback++;
        }
      }
      perDay.set(day, entry);
    }
    // Only answers that were explainers: a number picked in a form or a command is not a question answered.
    const library = this.ctx.deps.library;
    const answers = sample.filter((a) => library.get(a.intent, a.lang) ?? library.get(a.intent, 'en')).slice(0, 25).map((a) => ({ ...a, title: this.title(a.intent) }));
    return {
      days,
      perDay: [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, v]) => ({ day, ...v })),
      intents: [...intents.entries()].filter(([intent]) => intent !== 'error').sort((a, b) => b[1] - a[1]).map(([intent, count]) => ({ intent, title: this.title(intent), count })),
      languages,
      total: rows.length,
      fallbackRate: classified === 0 ? 0 : fallback / classified,
      unrecognised,
      answers,
    };
  }

  /** Marks a client message's answer as wrong (it joins the training export); 404 when there is no such client message. */
  async markWrong(messageId: number, actor: Actor): Promise<void> {
    const at = this.ctx.now();
    if (!(await this.ctx.store.markAnswer(messageId, actor.name, at))) throw new DeskError(404, 'no such client message', 'no-message');
    await this.ctx.store.addAudit({ actor: actor.name, action: 'answer.mark-wrong', detail: `message ${messageId}`, at: at.toISOString() });
  }

  async unmark(messageId: number, actor: Actor): Promise<void> {
    const at = this.ctx.now();
    await this.ctx.store.unmarkAnswer(messageId);
    await this.ctx.store.addAudit({ actor: actor.name, action: 'answer.unmark', detail: `message ${messageId}`, at: at.toISOString() });
  }

  /**
   * The training export: messages answered "none" and answers staff marked wrong, as YAML to sort into
   * `intents/<id>.yml`.
   */
  async trainingYaml(days = 30): Promise<string> {
    const from = new Date(this.ctx.now().getTime() - days * DAY_MS);
    const [unrecognised, marked] = await Promise.all([this.ctx.store.unrecognised(from, 50), this.ctx.store.markedAnswers(from)]);
    const byLang = { en: [] as string[], es: [] as string[] };
    for (const u of unrecognised) (u.lang === 'es' ? byLang.es : byLang.en).push(u.text);
    const header = [
      `# Training material from the last ${days} days.`,
      '# examples: messages Puente answered "none", most frequent first.',
      '# marked_wrong: messages staff marked as answered wrongly ("answered" is the topic Puente gave).',
      '# Move each one to the intents/<id>.yml file it belongs to (same language), or to none.yml if it is out of scope.',
      '# Delete anything with names, numbers or other personal details before committing.',
    ].join('\n');
    const wrong = marked.map((m) => ({ text: m.text.trim(), lang: m.lang, answered: m.intent }));
    return `${header}\n${stringify({ examples: byLang, marked_wrong: wrong }, { lineWidth: 0 })}`;
  }

  /** Every explainer, intents with something to review first, both languages side by side. */
  content(): ContentItem[] {
    const { library } = this.ctx.deps;
    const cutoff = new Date(this.ctx.now().getTime() - STALE_DAYS * DAY_MS).toISOString().slice(0, 10);
    const byIntent = new Map<string, Partial<Record<Lang, ContentRow>>>();
    for (const row of contentReport(library)) byIntent.set(row.intent, { ...byIntent.get(row.intent), [row.lang]: row });
    const items = [...byIntent.entries()].map(([intent, langs]): ContentItem => {
      const mark = (row: ContentRow | undefined) => row && { ...row, stale: !row.reviewed || row.reviewed < cutoff, long: row.mainLength > LONG_TEXT };
      const en = mark(langs.en);
      const es = mark(langs.es);
      const needsReview = LANGS.some((l) => { const r = l === 'en' ? en : es; return !r || r.stale || r.long; });
      return { intent, title: library.title(intent, 'en'), ...(en ? { en } : {}), ...(es ? { es } : {}), needsReview };
    });
    return items.sort((a, b) => Number(b.needsReview) - Number(a.needsReview) || a.title.localeCompare(b.title));
  }
}
