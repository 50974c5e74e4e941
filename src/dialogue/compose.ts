/**
 * Composing replies: explainers with their placeholders filled, numbered lists, the footer and the notice.
 */
import { render, type Explainer, type ExplainerLibrary, type Placeholders } from '../content/explainers';
import { normalise } from '../nlu/normalise';
import type { IntentId, Lang } from '../nlu/types';
import { STRINGS } from './strings';
import type { Choice } from './types';

/** The topics of the numbered menu, in order: the emergency first. */
export const MENU_INTENTS: readonly IntentId[] = [
  'urgent_detention', 'know_your_rights', 'ice_detainer', 'habeas_corpus', 'about_287g', 'enforcement_abuse',
  'complaint', 'civil_rights_lawsuit', 'injunction', 'uscis_delay', 'mandamus', 'other_immigration', 'community_help',
  'fees', 'contact', 'consultation_book', 'human',
];

/** Looks up what a county's 287(g) status is, for "is Nassau County in 287(g)?" (undefined: no county named). */
export type CountyLookup = (text: string, lang: Lang) => string | undefined;

/** Turns content and phrasebook into reply texts for one firm. */
export class Composer {
  constructor(
    private readonly library: ExplainerLibrary,
    private readonly placeholders: Placeholders,
    private readonly retentionDays: number,
    private readonly counties?: CountyLookup,
  ) {}

  private find(intent: IntentId, lang: Lang): Explainer | undefined {
    return this.library.get(intent, lang) ?? this.library.get(intent, lang === 'en' ? 'es' : 'en');
  }

  /** The explainer's main text for `intent` in `lang`, placeholders filled; falls back to the other language, then to the menu prompt. */
  explainer(intent: IntentId, lang: Lang): string {
    const explainer = this.find(intent, lang);
    if (!explainer) return STRINGS[lang].notUnderstood;
    return render(explainer.body, this.placeholders) || STRINGS[lang].notUnderstood;
  }

  /** The follow-up sections of a topic (id and title), in order; [] when it has none. */
  sections(intent: IntentId, lang: Lang): { id: string; title: string }[] {
    return (this.find(intent, lang)?.sections ?? []).map((s) => ({ id: s.id, title: s.title }));
  }

  /** A section's text, placeholders filled; undefined when the topic has no such section. */
  section(intent: IntentId, id: string, lang: Lang): string | undefined {
    const section = this.find(intent, lang)?.sections.find((s) => s.id === id);
    return section ? render(section.body, this.placeholders) || undefined : undefined;
  }

  /** Each explainer's section keywords, normalised once (as messages are). */
  private readonly keywordCache = new Map<Explainer, { id: string; phrases: string[] }[]>();

  private keywords(explainer: Explainer): { id: string; phrases: string[] }[] {
    let list = this.keywordCache.get(explainer);
    if (!list) {
      list = explainer.sections.map((s) => ({ id: s.id, phrases: s.keywords.map((k) => ` ${normalise(k).tokens.join(' ')} `) }));
      this.keywordCache.set(explainer, list);
    }
    return list;
  }

  /** The section a question names by its keywords ("bond", "fianza"), if exactly one matches best. */
  matchSection(intent: IntentId, text: string, lang: Lang): string | undefined {
    const explainer = this.find(intent, lang);
    if (!explainer || explainer.sections.length === 0) return undefined;
    const words = ` ${normalise(text).tokens.join(' ')} `;
    let best: { id: string; score: number } | undefined;
    for (const section of this.keywords(explainer)) {
      const score = section.phrases.filter((phrase) => words.includes(phrase)).length;
      if (score > 0 && (!best || score > best.score)) best = { id: section.id, score };
    }
    return best?.id;
  }

  /** The short reminder of a topic asked again: its `reminder`, else (small topics such as fees) its main text. */
  reminder(intent: IntentId, lang: Lang): string {
    const reminder = this.find(intent, lang)?.reminder;
    return (reminder && render(reminder, this.placeholders)) || this.explainer(intent, lang);
  }

  /** The 287(g) status of the county the text names, if it names one. */
  county(text: string, lang: Lang): string | undefined {
    return this.counties?.(text, lang);
  }

  /** "You can also email your question to …" when the firm configured an email; '' otherwise. */
  emailLine(lang: Lang): string {
    return render(STRINGS[lang].emailLine, this.placeholders);
  }

  /** The label of a list entry. */
  label(choice: Choice, lang: Lang): string {
    const s = STRINGS[lang];
    switch (choice.kind) {
      case 'advice':
        return s.sendToTeam;
      case 'emergency':
        return s.emergencyYes;
      case 'news':
        return s.askForNews;
      case 'section':
        return this.find(choice.intent, lang)?.sections.find((x) => x.id === choice.section)?.title ?? this.library.title(choice.intent, lang);
      case 'keep':
        return s.keepIt;
      case 'move':
        return s.changeTime;
      case 'cancel-consultation':
        return s.cancelIt;
      case 'intent':
        return this.library.title(choice.intent, lang);
    }
  }

  /** "1 Title" lines plus "0 Menu". */
  list(choices: readonly Choice[], lang: Lang): string {
    const lines = choices.map((c, i) => `*${i + 1}* ${this.label(c, lang)}`);
    lines.push(`*0* ${STRINGS[lang].menuZero}`);
    return lines.join('\n');
  }

  /** Next steps after an explainer, with the not-legal-advice line. */
  footer(choices: readonly Choice[], lang: Lang): string {
    return `${STRINGS[lang].disclaimer}\n\n${STRINGS[lang].footerTitle}\n${this.list(choices, lang)}`;
  }

  /** The numbered menu of topics. */
  menu(choices: readonly Choice[], lang: Lang): string {
    const lines = choices.map((c, i) => `*${i + 1}* ${this.label(c, lang)}`);
    return `${this.explainer('menu', lang)}\n\n${lines.join('\n')}`;
  }

  /** "Did you mean 1) … 2) …?" */
  didYouMean(choices: readonly Choice[], lang: Lang): string {
    const s = STRINGS[lang];
    return `${s.didYouMean}\n${this.list(choices, lang)}\n\n${s.rephrase}`;
  }

  /** Nothing recognisable at all: ask again and offer the menu. */
  notUnderstood(lang: Lang): string {
    return `${STRINGS[lang].notUnderstood}\n*0* ${STRINGS[lang].menuZero}`;
  }

  /** The second miss in a row: offer a person or the team. */
  secondMiss(choices: readonly Choice[], lang: Lang): string {
    return `${STRINGS[lang].secondMiss}\n${this.list(choices, lang)}`;
  }

  /** The one-time first-contact notice (SPEC §2.1). */
  notice(lang: Lang): string {
    return STRINGS[lang].notice({ retentionDays: this.retentionDays });
  }
}

/** Placeholder values from the firm's configuration; unset values stay undefined so their lines are dropped. */
export function firmPlaceholders(firm: { name?: string; phone?: string; email?: string; address?: string; hours?: string }, consultation: { fee?: string; minutes: number }): Placeholders {
  return {
    'firm.name': firm.name,
    'firm.phone': firm.phone,
    'firm.email': firm.email,
    'firm.address': firm.address,
    'firm.hours': firm.hours,
    'consultation.fee': consultation.fee,
    'consultation.minutes': String(consultation.minutes),
  };
}
