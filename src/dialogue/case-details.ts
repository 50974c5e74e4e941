/**
 * Reading the details of a detained person from free text, in either language (SPEC §2.7): name, date of birth,
 * country of birth, where, when, A-number and who they are to the client. Every reader returns only what it is sure
 * of; what it cannot read stays missing and the client is asked for it.
 */
import { foldAccents } from '../nlu/normalise';
import { CASE_FIELDS, type CaseDetails, type CaseField } from './types';

/** Countries people write from, in English and Spanish spellings (folded), with the name shown back. */
const COUNTRIES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Mexico', ['mexico', 'mejico', 'mexicano', 'mexicana']],
  ['Guatemala', ['guatemala', 'guatemalteco', 'guatemalteca', 'guate']],
  ['Honduras', ['honduras', 'hondureno', 'hondurena']],
  ['El Salvador', ['el salvador', 'salvador', 'salvadoreno', 'salvadorena', 'salvadorean']],
  ['Nicaragua', ['nicaragua', 'nicaraguense']],
  ['Costa Rica', ['costa rica', 'costarricense']],
  ['Panama', ['panama', 'panameno', 'panamena']],
  ['Colombia', ['colombia', 'colombiano', 'colombiana', 'colombian']],
  ['Venezuela', ['venezuela', 'venezolano', 'venezolana', 'venezuelan']],
  ['Ecuador', ['ecuador', 'ecuatoriano', 'ecuatoriana', 'ecuadorian']],
  ['Peru', ['peru', 'peruano', 'peruana', 'peruvian']],
  ['Bolivia', ['bolivia', 'boliviano', 'boliviana']],
  ['Chile', ['chile', 'chileno', 'chilena']],
  ['Argentina', ['argentina', 'argentino']],
  ['Uruguay', ['uruguay', 'uruguayo', 'uruguaya']],
  ['Paraguay', ['paraguay', 'paraguayo', 'paraguaya']],
  ['Dominican Republic', ['dominican republic', 'republica dominicana', 'dominicano', 'dominicana', 'dominican', 'rd']],
  ['Cuba', ['cuba', 'cubano', 'cubana', 'cuban']],
  ['Puerto Rico', ['puerto rico', 'puertorriqueno', 'boricua']],
  ['Haiti', ['haiti', 'haitiano', 'haitiana', 'haitian']],
  ['Jamaica', ['jamaica', 'jamaican', 'jamaiquino']],
  ['Brazil', ['brazil', 'brasil', 'brasileno', 'brazilian']],
  ['Spain', ['spain', 'espana', 'espanol', 'espanola']],
  ['India', ['india', 'indian']],
  ['China', ['china', 'chinese', 'chino', 'china']],
  ['Bangladesh', ['bangladesh']],
  ['Pakistan', ['pakistan']],
  ['Nigeria', ['nigeria', 'nigerian']],
  ['Ghana', ['ghana']],
  ['Senegal', ['senegal']],
  ['Ukraine', ['ukraine', 'ucrania']],
  ['Russia', ['russia', 'rusia']],
  ['Poland', ['poland', 'polonia']],
  ['Philippines', ['philippines', 'filipinas', 'filipino']],
  ['Afghanistan', ['afghanistan', 'afganistan']],
  ['Egypt', ['egypt', 'egipto']],
  ['Morocco', ['morocco', 'marruecos']],
  ['Turkey', ['turkey', 'turquia']],
  ['Trinidad and Tobago', ['trinidad']],
  ['Guyana', ['guyana']],
  ['Belize', ['belize', 'belice']],
];

const COUNTRY_WORDS = new Map<string, string>();
for (const [name, spellings] of COUNTRIES) for (const s of spellings) COUNTRY_WORDS.set(s, name);
/** Longest spellings first, so "el salvador" wins over "salvador". */
const COUNTRY_PATTERN = new RegExp(`\\b(${[...COUNTRY_WORDS.keys()].sort((a, b) => b.length - a.length).join('|')})\\b`);
/** Spellings that are also ordinary words or names: only read as a country after "from"/"de"/"born in". */
const AMBIGUOUS_COUNTRY = new Map(
  ['salvador', 'china', 'chile', 'rd', 'dominicana', 'argentina', 'espanol', 'espanola', 'indian', 'guate']
    .map((word) => [word, new RegExp(`\\b(?:from|de|del|born in|nacio en|nacido en|nacida en|es de|soy de)\\s+${word}\\b`)]),
);

/** The country named in `text`, if any (the United States is not a country of birth we ask for). */
export function findCountry(text: string): string | undefined {
  const folded = plain(text);
  const match = COUNTRY_PATTERN.exec(folded);
  if (!match) return undefined;
  const word = match[1];
  const cued = AMBIGUOUS_COUNTRY.get(word);
  if (cued && !cued.test(folded)) return undefined;
  return COUNTRY_WORDS.get(word);
}

/** Who the detained person may be to the writer, after "my" (English) and "mi" (Spanish). */
const RELATION_WORDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['my', [
    'husband', 'wife', 'dad', 'father', 'mom', 'mother', 'son', 'daughter', 'brother', 'sister', 'cousin', 'uncle', 'aunt', 'boyfriend',
    'girlfriend', 'partner', 'fiance', 'fiancee', 'grandfather', 'grandmother', 'grandpa', 'grandma', 'nephew', 'niece', 'friend', 'neighbor',
    'neighbour', 'coworker', 'boss', 'stepfather', 'stepdad', 'father in law', 'mother in law',
  ]],
  ['mi', [
    'esposo', 'esposa', 'marido', 'mujer', 'papa', 'papi', 'padre', 'mama', 'mami', 'madre', 'hijo', 'hija', 'hermano', 'hermana', 'primo',
    'prima', 'tio', 'tia', 'novio', 'novia', 'pareja', 'prometido', 'prometida', 'abuelo', 'abuela', 'sobrino', 'sobrina', 'amigo', 'amiga',
    'vecino', 'vecina', 'companero', 'suegro', 'suegra', 'cunado', 'cunada', 'padrastro', 'yerno', 'nuera',
  ]],
];
/** "my husband" / "mi esposo", the relative in group 1. */
const RELATION_PHRASES = RELATION_WORDS.map(([my, relatives]) => `${my} (${relatives.join('|')})`);
const RELATIONS: readonly RegExp[] = RELATION_PHRASES.map((phrase) => new RegExp(`\\b${phrase}\\b`));

/** Who the detained person is to the writer ("husband", "esposo"), from "my …" / "mi …". */
function findRelation(text: string): string | undefined {
  const folded = plain(text);
  for (const pattern of RELATIONS) {
    const m = pattern.exec(folded);
    if (m) return m[1];
  }
  return undefined;
}

const A_NUMBER = /\b(?:a|alien|a\s*number|a\s*no|numero\s*a|a\s*#|#\s*a|a-number)[\s#:.-]*(?:(?:es|is)[\s:]+)?((?:\d[\s-]?){7,8}\d)\b/;

/**
 * An A-number written "A123456789", "A-123-456-789", "a number 123 456 789", "su número A es 123456789": digits only,
 * 8 or 9 of them.
 */
export function findANumber(text: string): string | undefined {
  const m = A_NUMBER.exec(plain(text));
  if (!m) return undefined;
  const digits = m[1].replace(/\D/g, '');
  return digits.length === 8 || digits.length === 9 ? digits : undefined;
}

const MONTHS: Readonly<Record<string, number>> = {
  january: 1, jan: 1, enero: 1, february: 2, feb: 2, febrero: 2, march: 3, mar: 3, marzo: 3, april: 4, apr: 4, abril: 4,
  may: 5, mayo: 5, june: 6, jun: 6, junio: 6, july: 7, jul: 7, julio: 7, august: 8, aug: 8, agosto: 8,
  september: 9, sep: 9, sept: 9, septiembre: 9, setiembre: 9, october: 10, oct: 10, octubre: 10, november: 11, nov: 11,
  noviembre: 11, december: 12, dec: 12, diciembre: 12,
};
const MONTH_WORDS = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');
const BIRTH_CUE = /\b(?:dob|d\.o\.b|born|birth ?day|birthday|date of birth|birth date|fecha de nacimiento|f\.? ?de nac\w*|nacio|nacido|nacida|nacimiento|cumpleanos)\b/;
const NUMERIC_DATE = /\b(\d{1,4})[/.-](\d{1,2})[/.-](\d{2,4})\b/;
const WORDY_EN = new RegExp(`\\b(${MONTH_WORDS})\\.? (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})\\b`);
const WORDY_ES = new RegExp(`\\b(\\d{1,2}) de (${MONTH_WORDS}) (?:de |del )?(\\d{4})\\b`);

function isoDate(y: number, m: number, d: number): string | undefined {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * A date of birth: "dob 3/2/1988", "born March 2, 1988", "nació el 2 de marzo de 1988", "1988-03-02". Written with
 * words or a four-digit year first, it is normalised (YYYY-MM-DD); "3/2/1988" could be March 2 or 3 February, so
 * unless one part is over 12 it is kept as written for staff to confirm. Only read next to a birth word, or when the
 * message is mostly the date.
 */
export function findBirthDate(text: string): string | undefined {
  const folded = plain(text);
  const cue = BIRTH_CUE.test(folded) || folded.replace(/[^a-z]/g, '').length < 6;
  if (!cue) return undefined;
  const en = WORDY_EN.exec(folded);
  if (en) return isoDate(Number(en[3]), MONTHS[en[1]], Number(en[2]));
  const es = WORDY_ES.exec(folded);
  if (es) return isoDate(Number(es[3]), MONTHS[es[2]], Number(es[1]));
  const n = NUMERIC_DATE.exec(folded);
  if (!n) return undefined;
  const [a, b, c] = [Number(n[1]), Number(n[2]), Number(n[3])];
  if (n[1].length === 4) return isoDate(a, b, c);
  const year = n[3].length === 2 ? (c > 30 ? 1900 + c : 2000 + c) : c;
  if (a > 12 && b <= 12) return isoDate(year, b, a);
  if (b > 12 && a <= 12) return isoDate(year, a, b);
  if (year < 1900 || year > 2100 || a < 1 || b < 1 || a > 12 || b > 12) return undefined;
  return a === b ? isoDate(year, a, b) : `${a}/${b}/${year}`;
}

/** Particles inside Spanish names ("María de la Cruz"), never at either end. */
const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los']);
/** Words that end a name: what usually follows it in a sentence. */
const AFTER_NAME = new Set([
  'dob', 'born', 'from', 'and', 'he', 'she', 'is', 'was', 'who', 'age', 'years', 'his', 'her', 'birth', 'date', 'they',
  'y', 'el', 'ella', 'es', 'fue', 'nacio', 'nacido', 'nacida', 'edad', 'anos', 'tiene', 'que', 'su', 'fecha', 'lo', 'la',
  'a', 'number', 'numero', 'in', 'en', 'at', 'on', 'the', 'de', 'del', 'con', 'with', 'but', 'pero', 'por', 'para',
]);
const NAME_CUE = /(?:^|[\s,.;:!?])(?:(?:his|her|their|my \w+(?: s)?)\s+(?:full\s+)?name\s+is|name\s+is|name\s*[:=-]|(?:se|que se) llama|(?:su|el) nombre (?:completo )?es|nombre\s*[:=-]|nombre completo\s*[:=-]?|(?:he|she) is called|called)\s+(.+)/i;

/**
 * The detained person's name after a cue ("his name is Carlos Mejia", "se llama Carlos Mejía", "nombre: …"): two to
 * five words, cut where the sentence goes on ("…, dob", "from", "y"). Returned as written (accents kept).
 */
export function findName(text: string): string | undefined {
  const line = text.replace(/\s+/g, ' ');
  const folded = foldKeepingLength(line);
  const cue = NAME_CUE.exec(folded);
  if (cue) return nameAt(line, cue.index + cue[0].length - cue[1].length, false);
  // "they took my husband Carlos Mejia, born…": a name written with capitals right after the relative it names.
  const relative = RELATIVE_THEN.exec(folded);
  return relative ? nameAt(line, relative.index + relative[0].length, true) : undefined;
}

/** "my husband " / "mi esposo, ": the words after it may be the person's name. */
const RELATIVE_THEN = new RegExp(`(?:^|[^\\p{L}])(?:${RELATION_PHRASES.join('|')}),?\\s+`, 'iu');

/** The name starting at `start`: up to six words, cut where the sentence goes on; `capitals`: every word capitalised. */
function nameAt(line: string, start: number, capitals: boolean): string | undefined {
  const words: string[] = [];
  for (const raw of line.slice(start).split(' ')) {
    const clean = raw.replace(/^[^\p{L}]+/u, '');
    const word = clean.replace(/[^\p{L}'’-]+$/u, '');
    const folded = foldAccents(word);
    if (!word || !/^\p{L}[\p{L}'’-]*$/u.test(word) || COUNTRY_WORDS.has(folded)) break;
    const particle = PARTICLES.has(folded);
    if (particle && words.length === 0) break; // "de la cruz" alone is not read as a name
    if (!particle && AFTER_NAME.has(folded)) break;
    if (capitals && !particle && !/^\p{Lu}/u.test(word)) break;
    words.push(word);
    if (word !== clean || words.length === 6) break; // punctuation after the word ends the name
  }
  while (words.length > 0 && PARTICLES.has(foldAccents(words[words.length - 1]))) words.pop();
  if (capitals && words.length < 2) return undefined;
  if (words.length < 2 && !(words.length === 1 && words[0].length >= 3 && /^\p{Lu}/u.test(words[0]))) return undefined;
  return words.map((w) => (w === w.toLowerCase() && !PARTICLES.has(foldAccents(w)) ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
}

const PLACE_NOUNS =
  'home|house|work|job|jobsite|street|court|courthouse|store|parking lot|car|bus stop|train station|church|school|detention center|jail|' +
  'casa|trabajo|chamba|calle|corte|tienda|carro|parada|estacion|iglesia|escuela|centro de detencion|carcel|cárcel|apartamento|apartment|building|edificio';
const CUES = ['in', 'at', 'near', 'outside of', 'outside', 'in front of', 'en', 'cerca de', 'afuera de', 'afuera del', 'frente a', 'fuera de', 'a la salida de', 'a la salida del'];
/** "at his job in Elizabeth", "en la casa": a place noun, any case. */
const NOUN_PLACE = new RegExp(
  `(?:^|[^\\p{L}])(?:${CUES.join('|')})\\s+(?:the |his |her |my |our |their |la |el |su |mi |los |las |un |una |del )?` +
  `((?:${PLACE_NOUNS})(?![\\p{L}])(?: (?:in|of|en|de|del)(?: (?:mi|su|la|el|my|his|her))? \\p{L}+)?)`,
  'giu',
);
/** "in Elizabeth", "en Newark": a capitalised place name after a cue word (any case for the cue). */
const NAMED_PLACE = new RegExp(
  `(?:^|[^\\p{L}])(?:${CUES.map((c) => `[${c[0]}${c[0].toUpperCase()}]${c.slice(1)}`).join('|')})\\s+(?:the |la |el )?(\\p{Lu}\\p{L}+(?: \\p{Lu}\\p{L}+){0,3})`,
  'gu',
);
/**
 * Places clients in the firm's area name, in any case ("en newark", "in jersey city"): the five boroughs and larger
 * towns of New York City's region and New Jersey. Written as they should be shown to staff.
 */
const KNOWN_PLACES = [
  'New York', 'Nueva York', 'Manhattan', 'Brooklyn', 'Queens', 'Bronx', 'Staten Island', 'Long Island', 'Yonkers',
  'White Plains', 'Port Chester', 'New Rochelle', 'Mount Vernon', 'Hempstead', 'Freeport', 'Brentwood', 'Central Islip', 'Riverhead',
  'Newburgh', 'Poughkeepsie', 'Peekskill', 'Ossining', 'Sleepy Hollow', 'Spring Valley', 'Haverstraw', 'Albany', 'Buffalo', 'Rochester',
  'Syracuse', 'New Jersey', 'Nueva Jersey', 'Newark', 'Elizabeth', 'Paterson', 'Jersey City', 'Union City', 'West New York', 'North Bergen',
  'Passaic', 'Clifton', 'Hackensack', 'Englewood', 'Fort Lee', 'Bayonne', 'Hoboken', 'Kearny', 'Harrison', 'Irvington', 'Plainfield',
  'Perth Amboy', 'New Brunswick', 'Edison', 'Woodbridge', 'Trenton', 'Camden', 'Lakewood', 'Toms River', 'Freehold', 'Long Branch',
  'Asbury Park', 'Red Bank', 'Morristown', 'Dover', 'Vineland', 'Bridgeton', 'Atlantic City', 'Princeton', 'Linden', 'Hillside',
];
/** A known place after a cue word, any case: "en newark", "in jersey city", "in the bronx" (the article is not part of it). */
const KNOWN_PLACE = new RegExp(
  `(?:^|[^\\p{L}])(?:${CUES.join('|')})\\s+(?:the |la |el )?(${KNOWN_PLACES.join('|')})(?![\\p{L}])`,
  'giu',
);
const PLACE_SPELLING = new Map(KNOWN_PLACES.map((p) => [foldAccents(p), p]));

const NOT_PLACES = new Set(['ice', 'i', 'english', 'spanish', 'espanol', 'ingles', 'the', 'a-number']);
const WEEKDAY = /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miercoles|jueves|viernes|sabado|domingo)$/;

/**
 * Where it happened: "in Elizabeth", "at his job", "en la casa", "afuera del trabajo en Newark". The place mentioned
 * first wins ("at his job in Elizabeth" is the job), past what only looks like one: "nació en Guatemala, lo detuvieron
 * en Elizabeth" is Elizabeth.
 */
export function findPlace(text: string): string | undefined {
  const line = text.replace(/\s+/g, ' ');
  const candidates = [
    ...[...line.matchAll(NAMED_PLACE)].map((m) => ({ at: m.index, place: m[1].trim() })),
    ...[...line.matchAll(NOUN_PLACE)].map((m) => ({ at: m.index, place: m[1].trim() })),
    // A known place typed in lower case is shown as it is spelled ("newark" → "Newark").
    ...[...line.matchAll(KNOWN_PLACE)].map((m) => ({ at: m.index, place: m[1] === m[1].toLowerCase() ? (PLACE_SPELLING.get(foldAccents(m[1])) ?? m[1]) : m[1] })),
  ].sort((a, b) => a.at - b.at || b.place.length - a.place.length);
  return candidates.find((c) => isPlace(c.place))?.place;
}

/** Not a country, a month, a weekday or a word that only follows "in" ("in English"). */
function isPlace(place: string): boolean {
  const folded = foldAccents(place);
  return !NOT_PLACES.has(folded) && !findCountry(place) && !Object.hasOwn(MONTHS, folded) && !WEEKDAY.test(folded);
}

const WHEN = new RegExp(
  '\\b(?:' + [
    'this morning', 'this afternoon', 'this evening', 'tonight', 'last night', 'yesterday(?: (?:morning|afternoon|night))?', 'today', 'right now', 'just now',
    '(?:an|one|\\d{1,2}) (?:hour|hours|minute|minutes|min|mins) ago', 'a (?:few|couple) (?:hours|minutes) ago',
    'esta manana', 'esta tarde', 'esta noche', 'anoche', 'ayer(?: en la (?:manana|tarde|noche))?', 'hoy(?: en la (?:manana|tarde))?', 'ahorita', 'ahora mismo',
    'hace (?:una|1|\\d{1,2}|unas|un par de) ?(?:hora|horas|minuto|minutos|rato|ratito)', 'hace un (?:rato|ratito)',
    '(?:on |el )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miercoles|jueves|viernes|sabado|domingo)(?: (?:morning|night|en la manana|en la noche))?',
    '(?:at|a las|como a las) \\d{1,2}(?::\\d{2})? ?(?:am|pm|a\\.m\\.|p\\.m\\.)?',
  ].join('|') + ')\\b',
);
/** "a las 6" right after the first time word ("ayer, a las 6"). */
const WHEN_CLOCK = /^\s*(?:,\s*)?((?:at|a las|como a las) \d{1,2}(?::\d{2})? ?(?:am|pm)?)\b/;

/** When it happened: "this morning", "hace una hora", "ayer a las 6 am", "on Monday". */
export function findWhen(text: string): string | undefined {
  const folded = plain(text);
  const first = WHEN.exec(folded);
  if (!first) return undefined;
  // "ayer" + "a las 6" read together when they follow each other.
  const rest = folded.slice(first.index + first[0].length);
  const more = WHEN_CLOCK.exec(rest);
  return asWritten(text, more ? `${first[0]} ${more[1]}` : first[0]);
}

/** `found` (read on the folded text) as the client wrote it, accents and capitals kept, when it can be located. */
function asWritten(text: string, found: string): string {
  const at = foldKeepingLength(text).toLowerCase().indexOf(found);
  return at < 0 ? found : text.slice(at, at + found.length);
}

/** Every detail `text` states. */
export function extractDetails(text: string): CaseDetails {
  const details: Record<string, string> = {};
  const found: Partial<Record<CaseField | 'relation', string | undefined>> = {
    name: findName(text),
    birthDate: findBirthDate(text),
    country: findCountry(text),
    place: findPlace(text),
    when: findWhen(text),
    aNumber: findANumber(text),
    relation: findRelation(text),
  };
  for (const [key, value] of Object.entries(found)) if (value) details[key] = value;
  return details;
}

/** `a` with every field `b` states (b wins). */
export function mergeDetails(a: CaseDetails | undefined, b: CaseDetails | undefined): CaseDetails | undefined {
  if (!b || Object.keys(b).length === 0) return a;
  return { ...(a ?? {}), ...b };
}

/** The fields of `b` that are new or different from `a`. */
export function addedDetails(a: CaseDetails | undefined, b: CaseDetails | undefined): CaseDetails {
  const added: Record<string, string> = {};
  for (const [key, value] of Object.entries(b ?? {})) {
    // Who was detained is said once; a later "my cousin told me…" is about someone else.
    if (key === 'relation' && a?.relation) continue;
    if (value && (a as Record<string, string | undefined> | undefined)?.[key] !== value) added[key] = value;
  }
  return added;
}

/** The fields still missing, in the order the client is asked for them. */
export function missingFields(details: CaseDetails | undefined): CaseField[] {
  return CASE_FIELDS.filter((f) => !details?.[f]);
}

/** Lower-case, accent-folded, with punctuation other than date separators turned into spaces. */
function plain(text: string): string {
  return foldAccents(text).replace(/[^a-z0-9/.#:\-\s]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Folds accents without changing the length, so positions found on the folded text apply to the original. */
function foldKeepingLength(text: string): string {
  return [...text].map((ch) => {
    const folded = foldAccents(ch);
    return folded.length === ch.length ? folded : ch;
  }).join('');
}
