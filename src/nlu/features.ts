/**
 * Feature extraction: what the classifiers see of a normalised message.
 *
 * Intent features combine stems (meaning, robust to inflection), stem bigrams (short phrases such as "se llevaron",
 * "at door") and character 3-grams of each word (robust to typos and to Spanglish words the stemmer mangles).
 */
import { isEmojiToken } from './normalise';
import { stem } from './stemming';
import type { Lang } from './types';

/** Tunable weights of the feature groups; stored with the model so training and prediction always agree. */
export interface FeatureOptions {
  readonly stemWeight: number;
  readonly bigramWeight: number;
  readonly trigramWeight: number;
}

/** The weights chosen by cross-validation on the project's corpus (see `npx puente eval`). */
export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { stemWeight: 1, bigramWeight: 0.7, trigramWeight: 0.3 };

function add(bag: Map<string, number>, key: string, weight: number): void {
  if (weight <= 0) return;
  bag.set(key, (bag.get(key) ?? 0) + weight);
}

/** One token's own intent features (its stem or emoji, its character 3-grams, repeats allowed), and its stem. */
export interface TokenFeatures {
  /** The stem, for bigrams with the next word; undefined for an emoji (it does not break a bigram). */
  readonly stem: string | undefined;
  readonly features: readonly (readonly [string, number])[];
}

/** The intent features one token brings on its own, stemmed in `lang`. */
export function tokenIntentFeatures(token: string, lang: Lang, options: FeatureOptions): TokenFeatures {
  if (isEmojiToken(token)) return { stem: undefined, features: options.stemWeight > 0 ? [[`e:${token}`, options.stemWeight]] : [] };
  const stemmed = stem(token, lang);
  const features: [string, number][] = [];
  if (options.stemWeight > 0) features.push([`w:${stemmed}`, options.stemWeight]);
  if (options.trigramWeight > 0 && token.length >= 3 && /[a-z]/.test(token)) {
    const padded = `_${token}_`;
    for (let i = 0; i + 3 <= padded.length; i++) features.push([`c:${padded.slice(i, i + 3)}`, options.trigramWeight]);
  }
  return { stem: stemmed, features };
}

/** The feature of two stems in a row ("se llevaron", "at door"). */
export function bigramFeature(previous: string, next: string): string {
  return `b:${previous}_${next}`;
}

/** Intent features of a token list, stemmed in `lang`. */
export function intentFeatures(tokens: readonly string[], lang: Lang, options: FeatureOptions): Map<string, number> {
  const bag = new Map<string, number>();
  let previous: string | undefined;
  for (const token of tokens) {
    const own = tokenIntentFeatures(token, lang, options);
    for (const [key, weight] of own.features) add(bag, key, weight);
    if (own.stem === undefined) continue;
    if (previous !== undefined) add(bag, bigramFeature(previous, own.stem), options.bigramWeight);
    previous = own.stem;
  }
  return bag;
}

/** The language shows in the first words; looking further only costs time on long messages. */
export const LANGUAGE_TOKENS = 12;

/** Whether a token counts for the language (emoji and bare numbers say nothing about it). */
export function speaksLanguage(token: string): boolean {
  return !isEmojiToken(token) && !/^\d+$/.test(token);
}

/** One token's language features: the whole word and its character 3-grams, unstemmed. */
export function tokenLanguageFeatures(token: string): [string, number][] {
  const features: [string, number][] = [[`w:${token}`, 2]];
  const padded = `_${token}_`;
  for (let i = 0; i + 3 <= padded.length; i++) features.push([`c3:${padded.slice(i, i + 3)}`, 1]);
  return features;
}

/** Language features: whole words and character 3-grams, unstemmed (the language is what we are asking). */
export function languageFeatures(tokens: readonly string[]): Map<string, number> {
  const bag = new Map<string, number>();
  for (const token of tokens.slice(0, LANGUAGE_TOKENS)) {
    if (!speaksLanguage(token)) continue;
    for (const [key, weight] of tokenLanguageFeatures(token)) add(bag, key, weight);
  }
  return bag;
}
