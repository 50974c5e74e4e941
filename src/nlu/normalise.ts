/**
 * Text normalisation shared by language detection and intent classification.
 *
 * WhatsApp messages arrive lower- or upper-case, with or without accents, with stretched letters ("holaaa"),
 * abbreviations ("xq", "pls") and legal shorthand written many ways ("287(g)", "287 g", "I-130"). Everything that
 * should count as the same word is made the same token here, once, so the classifier never has to learn it.
 */

/** Longest text, in characters, that understanding looks at; longer messages are classified on their beginning. */
export const MAX_NLU_CHARS = 2000;

/** Result of normalising one message. */
export interface NormalisedText {
  /** Lower-case, accent-folded, abbreviation-expanded tokens (words, numbers, legal ids such as `287g`, `i130`, and emoji). */
  readonly tokens: readonly string[];
  /** Signals only visible before folding: characters that are Spanish-only (ñ, ¿, ¡, accented vowels). */
  readonly spanishMarks: number;
  /** Count of letters from scripts other than Latin (Chinese, Arabic, Cyrillic…). */
  readonly foreignLetters: number;
  /** Count of Latin letters. */
  readonly latinLetters: number;
}

// Control characters other than tab and newline (binary junk, zero-width marks, bidi overrides).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;
const SPANISH_MARKS = /[ñáéíóúü¿¡]/g;
const LATIN = /[a-z]/g;
const FOREIGN = /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/gu;
const TOKEN = /[a-z0-9]+|\p{Extended_Pictographic}/gu;

/** Legal and form identifiers people write with spaces, hyphens or brackets: all become one token. */
const LEGAL_IDS: ReadonlyArray<[RegExp, string]> = [
  [/\b287\s*[-(]?\s*g\s*\)?/g, ' 287g '],
  [/\b([ain])\s*-\s*(\d{2,3})\b/g, ' $1$2 '], // i-130, n-400, a-number written a-123
  [/\b(i|n)\s+(\d{3})\b/g, ' $1$2 '], // "i 130", "n 400"
  [/\bsection\s*1983\b|\bsec\.?\s*1983\b|§\s*1983/g, ' 1983 '],
  [/\btps\b/g, ' tps '],
];

/**
 * WhatsApp shorthand in both languages, mapped to the word it stands for. Only whole tokens are replaced, so "x" means
 * "por" only when it stands alone. A Map, so a token such as "constructor" is never an inherited property.
 */
const ABBREVIATIONS: ReadonlyMap<string, string> = new Map(Object.entries({
  // English
  u: 'you', ur: 'your', r: 'are', pls: 'please', plz: 'please', pleas: 'please', plis: 'please', thx: 'thanks',
  thnx: 'thanks', thanx: 'thanks', tnx: 'thanks', ty: 'thanks', tysm: 'thanks', bc: 'because', cuz: 'because',
  coz: 'because', b4: 'before', appt: 'appointment', appts: 'appointments', govt: 'government', gov: 'government',
  rn: 'now', atty: 'attorney', wat: 'what', wut: 'what', wanna: 'want', gonna: 'going', ppl: 'people', msg: 'message',
  tmrw: 'tomorrow', tmr: 'tomorrow', '2morrow': 'tomorrow', '2day': 'today', asap: 'urgent', im: 'i', ive: 'i',
  dont: 'do', cant: 'can', wont: 'will', whats: 'what', hw: 'how', abt: 'about', bro: 'brother', sis: 'sister',
  // Spanish
  q: 'que', k: 'que', ke: 'que', xq: 'porque', pq: 'porque', xk: 'porque', porq: 'porque', pk: 'porque', x: 'por',
  xfa: 'favor', xfavor: 'favor', porfa: 'favor', pf: 'favor', tmb: 'tambien', tb: 'tambien', tmbn: 'tambien',
  d: 'de', dnd: 'donde', pa: 'para', toy: 'estoy', ta: 'esta', tan: 'estan', kiero: 'quiero', bn: 'bien',
  msj: 'mensaje', hno: 'hermano', hna: 'hermana', tdo: 'todo', salu2: 'saludos', grax: 'gracias', grs: 'gracias',
  grasias: 'gracias', ntp: 'nada', aki: 'aqui', aka: 'aca', mje: 'mujer', sra: 'senora', sr: 'senor', abog: 'abogado',
  info: 'informacion', inmigra: 'inmigracion', imigracion: 'inmigracion', emigracion: 'inmigracion',
}));

/** Strips control characters and trims; returns '' for input that holds nothing printable. */
export function cleanText(raw: string): string {
  return raw.replace(CONTROL, '').trim();
}

/** Lower-cases and removes diacritics (á→a, ñ→n, ü→u) so accented and unaccented spellings are one word. */
export function foldAccents(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '');
}

/** Collapses letters stretched for emphasis ("holaaaa", "pleeease", "nooo") to a single letter. */
export function squeezeRepeats(text: string): string {
  return text.replace(/([a-z])\1{2,}/g, '$1');
}

/**
 * Normalises one message for understanding. Never throws; returns no tokens for empty, binary or symbol-only text.
 * Only the first {@link MAX_NLU_CHARS} characters are considered.
 */
export function normalise(raw: string): NormalisedText {
  const text = cleanText(raw).slice(0, MAX_NLU_CHARS);
  const lower = text.toLowerCase();
  const spanishMarks = (lower.match(SPANISH_MARKS) ?? []).length;
  let folded = squeezeRepeats(foldAccents(lower));
  const latinLetters = (folded.match(LATIN) ?? []).length;
  const foreignLetters = (folded.replace(/\p{Extended_Pictographic}/gu, '').match(FOREIGN) ?? []).length;
  for (const [pattern, replacement] of LEGAL_IDS) folded = folded.replace(pattern, replacement);
  folded = folded.replace(/'/g, '');
  const tokens: string[] = [];
  for (const match of folded.matchAll(TOKEN)) {
    const token = match[0];
    tokens.push(ABBREVIATIONS.get(token) ?? token);
  }
  return { tokens, spanishMarks, foreignLetters, latinLetters };
}

/** True when a token is an emoji rather than a word or number. */
export function isEmojiToken(token: string): boolean {
  return /^\p{Extended_Pictographic}$/u.test(token);
}
