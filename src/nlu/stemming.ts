/**
 * Per-language stemming with natural's Porter stemmers, imported by path: the package root pulls in ~1,300 modules
 * (database back-ends included), prints to stdout and reads `.env`.
 */
import type { Lang } from './types';

// natural ships CommonJS without usable types for deep paths.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stemmers = require('natural/lib/natural/stemmers') as {
  PorterStemmer: { stem(word: string): string };
  PorterStemmerEs: { stem(word: string): string };
};

const CACHE_LIMIT = 50_000;
const caches: Record<Lang, Map<string, string>> = { en: new Map(), es: new Map() };
const stemmerFor: Record<Lang, (word: string) => string> = {
  en: (w) => stemmers.PorterStemmer.stem(w),
  es: (w) => stemmers.PorterStemmerEs.stem(w),
};

/** Stems one folded, lower-case word in the given language. Numbers and emoji come back unchanged. */
export function stem(word: string, lang: Lang): string {
  if (!/^[a-z]{3,}$/.test(word)) return word;
  const cache = caches[lang];
  let stemmed = cache.get(word);
  if (stemmed === undefined) {
    stemmed = stemmerFor[lang](word) || word;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(word, stemmed);
  }
  return stemmed;
}
