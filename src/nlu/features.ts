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

function addCharGrams(bag: Map<string, number>, prefix: string, word: string, n: number, weight: number): void {
  const padded = `_${word}_`;
  for (let i = 0; i + n <= padded.length; i++) add(bag, prefix + padded.slice(i, i + n), weight);
}

/** Intent features of a token list, stemmed in `lang`. */
export function intentFeatures(tokens: readonly string[], lang: Lang, options: FeatureOptions): Map<string, number> {
  const bag = new Map<string, number>();
  let previous: string | undefined;
  for (const token of tokens) {
    if (isEmojiToken(token)) {
      add(bag, `e:${token}`, options.stemWeight);
      continue;
    }
    const stemmed = stem(token, lang);
    add(bag, `w:${stemmed}`, options.stemWeight);
    if (previous !== undefined) add(bag, `b:${previous}_${stemmed}`, options.bigramWeight);
    previous = stemmed;
    if (token.length >= 3 && /[a-z]/.test(token)) addCharGrams(bag, 'c:', token, 3, options.trigramWeight);
  }
  return bag;
}

/** The language shows in the first words; looking further only costs time on long messages. */
const LANGUAGE_TOKENS = 12;

/** Language features: whole words and character 3-grams, unstemmed (the language is what we are asking). */
export function languageFeatures(tokens: readonly string[]): Map<string, number> {
  const bag = new Map<string, number>();
  for (const token of tokens.slice(0, LANGUAGE_TOKENS)) {
    if (isEmojiToken(token) || /^\d+$/.test(token)) continue;
    add(bag, `w:${token}`, 2);
    addCharGrams(bag, 'c3:', token, 3, 1);
  }
  return bag;
}
