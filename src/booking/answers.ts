/**
 * Reading the client's answers in the booking form (SPEC §2 journey 5): phone or office, yes or no, a full name, a slot.
 *
 * Answers arrive as raw WhatsApp text in either language — any case, accents or not, stretched letters, emoji, extra
 * words. Each parser returns a value only when the answer is clear and `undefined` otherwise, so the form can ask again
 * instead of guessing. Bare list numbers ("1", "2") for mode and yes/no are mapped by the engine, not here.
 */
import { foldAccents, squeezeRepeats } from '../nlu/normalise';
import { addDays, weekdayFromWord, zonedParts, zonedTimeToUtc } from './office-hours';
import type { Slot } from './slots';

/** Lower-case, accent-folded, squeezed text with punctuation and emoji turned into single spaces. */
function words(text: string): string {
  return squeezeRepeats(foldAccents(text))
    .replace(/[’‘`´]/g, "'")
    .replace(/[^a-z0-9'\s]/g, ' ')
    .replace(/'/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A regular expression matching any of the phrases as whole words. */
function phrases(list: readonly string[]): RegExp {
  return new RegExp(`\\b(?:${[...list].sort((a, b) => b.length - a.length).join('|')})\\b`);
}

/** Levenshtein distance, capped: returns max + 1 as soon as it is certain to exceed max. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    if (Math.min(...current) > max) return max + 1;
    previous = current;
  }
  return previous[b.length];
}

// ── days the client cannot do ───────────────────────────────────────────────────────────────────────────────────────

/** Words before a day that rule it out: "can't do wednesday", "not on friday", "no puedo el miércoles". */
const RULE_OUT_BEFORE = /\b(?:cant|cannot|can not|couldnt|not|never|unable|except|but not|any day but|anytime but|menos|excepto|nunca|no puedo|no podemos|no puede|no me (?:queda|sirve|funciona))\b(?: \w+){0,3} $/;
/** Words after a day that rule it out: "wednesday doesn't work", "el miércoles no puedo", "friday is bad". */
const RULE_OUT_AFTER = /^ (?:\w+ ){0,2}(?:doesnt|does not|dont|do not|wont|will not|isnt|is not|is bad|is no good|no good|is out|no puedo|no me (?:queda|sirve|funciona)|no podemos|no puede|no se puede|imposible|impossible)\b/;

/**
 * The weekdays (0 = Sunday) the message rules out: "hey actually i cant do wednesday", "no, friday doesn't work",
 * "el miércoles no puedo". A day named without a negation near it ("can we do thursday") is not ruled out.
 */
export function daysRuledOut(text: string): number[] {
  const w = ` ${words(text)} `;
  const days: number[] = [];
  for (const match of w.matchAll(/[a-z]+/g)) {
    const day = weekdayFromWord(match[0]);
    if (day === undefined || days.includes(day) || match[0].length < 3) continue;
    const before = w.slice(Math.max(0, match.index - 40), match.index);
    const after = w.slice(match.index + match[0].length);
    if (RULE_OUT_BEFORE.test(before) || RULE_OUT_AFTER.test(after)) days.push(day);
  }
  return days;
}

// ── phone or office ─────────────────────────────────────────────────────────────────────────────────────────────────

const PHONE = phrases([
  'phone', 'phones', 'phonecall', 'call', 'calls', 'calling', 'call me', 'telephone', 'cell', 'cellphone', 'fone', 'phne', 'phon',
  'telefono', 'telefonica', 'telefonico', 'telefonicamente', 'telefone', 'tel', 'llamada', 'llamadas', 'llamar', 'llamarme',
  'llamame', 'llamenme', 'llameme', 'llamen', 'celular', 'cel', 'movil',
]);
const OFFICE = phrases([
  'office', 'offices', 'ofice', 'offce', 'oficce', 'in person', 'inperson', 'person to person', 'face to face', 'come in',
  'come by', 'visit', 'go there', 'oficina', 'oficinas', 'ofisina', 'en persona', 'presencial',
  'presencialmente', 'personalmente', 'personally', 'cara a cara', 'ir alla', 'en la ofi', 'la ofi',
]);
const FUZZY_PHONE = ['telefono', 'telephone', 'llamada', 'celular'];
const FUZZY_OFFICE = ['oficina', 'presencial'];

function fuzzyCue(tokens: readonly string[], cues: readonly string[]): boolean {
  return tokens.some((t) => t.length >= 6 && cues.some((cue) => editDistance(t, cue, 1) <= 1));
}

/**
 * Phone or office, from cues in either language ("by phone", "llámenme", "in person", "en la oficina", typos such as
 * "telefno", "oficna"). Both cues, or neither, → undefined. "1"/"2" are NOT handled here (the engine maps numbers).
 */
export function parseMode(text: string): 'phone' | 'office' | undefined {
  const s = words(text);
  const tokens = s.split(' ');
  const phone = PHONE.test(s) || fuzzyCue(tokens, FUZZY_PHONE);
  const office = OFFICE.test(s) || fuzzyCue(tokens, FUZZY_OFFICE);
  if (phone === office) return undefined;
  return phone ? 'phone' : 'office';
}

// ── yes or no ───────────────────────────────────────────────────────────────────────────────────────────────────────

const NO_PHRASES = [
  'not correct', 'not right', 'no es correcto', 'no esta bien', 'no es asi', 'no gracias', 'no thanks', 'no thank you',
  'thats wrong', 'is wrong', 'esta mal', 'not ok', 'not okay', 'dont confirm', 'no confirmo',
];
const YES_PHRASES = [
  'de acuerdo', 'esta bien', 'todo bien', 'claro que si', 'por supuesto', 'of course', 'all good', 'looks good', 'sounds good',
  'thats right', 'thats correct', 'es correcto', 'asi es', 'go ahead', 'adelante', 'all correct', 'todo correcto',
];
const YES_WORDS = new Set([
  'yes', 'y', 'yeah', 'yea', 'yep', 'yup', 'ya', 'ok', 'okay', 'okey', 'oki', 'sure', 'correct', 'confirm', 'confirmed',
  'right', 'si', 'sip', 'claro', 'dale', 'correcto', 'correcta', 'confirmo', 'confirmado', 'confirmar', 'perfecto', 'perfect',
  'va', 'vale', 'bueno', 'exacto', 'exactly', 'listo', 'great', 'good', 'fine',
]);
const NO_WORDS = new Set([
  'no', 'n', 'nope', 'nah', 'not', 'cambiar', 'change', 'wrong', 'incorrecto', 'incorrecta', 'incorrect', 'cancel', 'nop',
  'negativo', 'mal', 'corregir', 'fix',
]);
const FILLER = new Set([
  'please', 'pls', 'thanks', 'thank', 'you', 'gracias', 'muchas', 'por', 'favor', 'porfa', 'it', 'its', 'is', 'that', 'thats',
  'all', 'everything', 'todo', 'es', 'eso', 'so', 'pues', 'ya', 'very', 'muy', 'much', 'the', 'info', 'information',
  'informacion', 'datos', 'details', 'lo', 'la', 'ok', 'i', 'want', 'to', 'quiero', 'need', 'necesito', 'the', 'time', 'hora',
  'date', 'fecha', 'day', 'dia', 'name', 'nombre', 'something', 'algo', 'el', 'de',
]);
const YES_EMOJI = /[👍✅✔👌]/u;
const NO_EMOJI = /[👎❌✖🚫]/u;

/**
 * Yes or no, in either language, with filler allowed ("yes please", "sí, está bien 👍", "no gracias", "that's wrong").
 * Anything mixed ("si pero…", "yes no") or with other content → undefined.
 */
export function parseYesNo(text: string): 'yes' | 'no' | undefined {
  let yes = YES_EMOJI.test(text);
  let no = NO_EMOJI.test(text);
  let s = ` ${words(text)} `;
  for (const phrase of NO_PHRASES) if (s.includes(` ${phrase} `)) { no = true; s = s.split(` ${phrase} `).join(' '); }
  for (const phrase of YES_PHRASES) if (s.includes(` ${phrase} `)) { yes = true; s = s.split(` ${phrase} `).join(' '); }
  for (const token of s.split(' ').filter(Boolean)) {
    const squeezed = token.replace(/(.)\1+/g, '$1');
    if (YES_WORDS.has(token) || YES_WORDS.has(squeezed)) yes = true;
    else if (NO_WORDS.has(token) || NO_WORDS.has(squeezed)) no = true;
    else if (!FILLER.has(token)) return undefined;
  }
  if (yes === no) return undefined;
  return yes ? 'yes' : 'no';
}

// ── full name ───────────────────────────────────────────────────────────────────────────────────────────────────────

const NAME_PREFIX = new RegExp(
  '^(?:(?:hi|hello|hey|hola|buenas|buenos dias|buenas tardes|good morning|good afternoon|ok|okay|si|yes)[\\s,.!]+)*' +
    "(?:(?:my (?:full |complete )?name is|my name'?s|name|i am|i'm|im|it'?s|this is|me llamo|mi nombre (?:completo )?es|" +
    'nombre|soy|yo soy|es)\\b[\\s:,.-]*)?',
  'i',
);
const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y']);
/** Words that show the message is a sentence or a command, not a name. */
const NOT_NAME = new Set([
  'hi', 'hello', 'hey', 'hola', 'buenas', 'buenos', 'dias', 'tardes', 'noches', 'good', 'morning', 'afternoon', 'thanks',
  'thank', 'gracias', 'please', 'menu', 'cancel', 'cancelar', 'stop', 'start', 'help', 'ayuda', 'yes', 'no', 'ok', 'okay',
  'si', 'agent', 'agente', 'human', 'persona', 'english', 'espanol', 'delete', 'borrar', 'baja', 'inicio', 'i', 'you',
  'want', 'need', 'have', 'is', 'are', 'the', 'a', 'my', 'me', 'to', 'for', 'of', 'and', 'or', 'what', 'how',
  'when', 'where', 'why', 'who', 'not', 'with', 'about', 'book', 'schedule', 'appointment', 'consultation', 'consulta', 'cita', 'lawyer',
  'attorney', 'abogado', 'abogada', 'quiero', 'necesito', 'tengo', 'para', 'por', 'que', 'como', 'cuando', 'donde',
  'quien', 'el', 'un', 'una', 'mis', 'es', 'esta', 'estoy', 'con', 'en', 'hablar', 'talk', 'call', 'phone',
  'office', 'oficina', 'telefono', 'llamada', 'immigration', 'inmigracion', 'ice', 'help', 'urgent', 'urgente', 'name',
  'nombre', 'test', 'hello', 'bye', 'adios', 'tomorrow', 'manana', 'today', 'hoy',
]);
const NAME_WORD = /^\p{L}+(?:['’-]\p{L}+)*$|^\p{L}\.$/u;

function capitalise(word: string, first: boolean): string {
  const uniform = word === word.toLowerCase() || word === word.toUpperCase();
  if (!uniform) return word;
  const lower = word.toLowerCase();
  if (!first && PARTICLES.has(lower)) return lower;
  return lower.replace(/(^|['’-])(\p{L})/gu, (_, sep: string, letter: string) => sep + letter.toUpperCase());
}

/**
 * A plausible full name: 2–6 words of letters (accents, ñ, apostrophes, hyphens, initials such as "J." allowed), 3–80
 * characters, after stripping a greeting and "my name is" / "me llamo" / "soy" / "mi nombre es". Returns it with each word
 * capitalised ("maria de los angeles lopez" → "Maria de los Angeles Lopez"); words the client capitalised unusually
 * ("McDonald") are kept. A single word, a question, digits, a sentence or command words → undefined.
 */
export function parseName(text: string): string | undefined {
  if (/[?¿@\d]/.test(text)) return undefined;
  const stripped = text
    .replace(/[’‘`´]/g, "'")
    .replace(/\p{Extended_Pictographic}|\u200d|\ufe0f/gu, ' ')
    .trim()
    .replace(NAME_PREFIX, '')
    .replace(/[\s,]+(?:thanks|thank you|gracias|please|por favor)[\s.!]*$/i, '')
    .replace(/[\s.!]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (stripped.length < 3 || stripped.length > 80) return undefined;
  const parts = stripped.split(' ');
  if (parts.length < 2 || parts.length > 6) return undefined;
  if (!parts.every((w) => NAME_WORD.test(w))) return undefined;
  const folded = parts.map((w) => foldAccents(w).replace(/['’.]/g, ''));
  if (folded.some((w) => NOT_NAME.has(w))) return undefined;
  if (folded.filter((w) => !PARTICLES.has(w) && w.length > 1).length < 2) return undefined;
  return parts.map((w, i) => capitalise(w, i === 0)).join(' ');
}

// ── slot choice ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** How the client answered the list of offered slots. */
export type SlotAnswer =
  | { kind: 'pick'; slot: Slot } // unambiguous choice among offered or free slots
  | { kind: 'other' } // "other", "otro", "none of those", "ninguno", "otra hora", "another day"
  | { kind: 'ambiguous'; matches: Slot[] } // e.g. "tuesday" when two offered slots are on Tuesday
  | { kind: 'unavailable'; near: Slot[] }; // a clear time that is not free (closed, taken, past): up to 3 nearest free

interface LocalDate { readonly year: number; readonly month: number; readonly day: number }
type Period = 'morning' | 'afternoon' | 'evening';

/** What a free-text answer asks for; every field optional. */
interface Wish {
  date?: LocalDate;
  weekday?: number;
  /** Minute of the local day. */
  time?: number;
  period?: Period;
  ordinal?: number;
  other: boolean;
}

const PERIOD_RANGE: Readonly<Record<Period, readonly [number, number]>> = {
  morning: [0, 12 * 60], afternoon: [12 * 60, 18 * 60], evening: [17 * 60, 24 * 60],
};
const PERIOD_TARGET: Readonly<Record<Period, number>> = { morning: 9 * 60, afternoon: 14 * 60, evening: 18 * 60 };

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, january: 1, ene: 1, enero: 1, feb: 2, february: 2, febrero: 2, mar: 3, march: 3, marzo: 3, apr: 4, april: 4,
  abr: 4, abril: 4, may: 5, mayo: 5, jun: 6, june: 6, junio: 6, jul: 7, july: 7, julio: 7, aug: 8, august: 8, ago: 8,
  agosto: 8, sep: 9, sept: 9, september: 9, septiembre: 9, setiembre: 9, oct: 10, october: 10, octubre: 10, nov: 11,
  november: 11, noviembre: 11, dec: 12, december: 12, dic: 12, diciembre: 12,
};
const MONTH = `(${Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|')})`;
const DAY_NAME =
  '(sunday|sun|domingo|dom|monday|mon|lunes|lun|tuesday|tues|tue|martes|mar|wednesday|weds|wed|miercoles|mier|mie|' +
  'thursday|thurs|thur|thu|jueves|jue|friday|fri|viernes|vie|saturday|sat|sabado|sab)s?';
const ORDINALS: Readonly<Record<string, number>> = {
  first: 0, '1st': 0, primer: 0, primera: 0, primero: 0, second: 1, '2nd': 1, segunda: 1, segundo: 1, third: 2, '3rd': 2,
  tercer: 2, tercera: 2, tercero: 2, fourth: 3, '4th': 3, cuarta: 3, cuarto: 3, fifth: 4, '5th': 4, quinta: 4, quinto: 4,
  last: -1, ultima: -1, ultimo: -1,
};

const OTHER = phrases([
  'other', 'others', 'another', 'otro', 'otra', 'otros', 'otras', 'none', 'neither', 'ninguno', 'ninguna', 'ningun',
  'different', 'diferente', 'distinto', 'distinta', 'something else', 'nothing', 'nada', 'doesnt work', 'dont work',
  'no me sirve', 'no me sirven', 'no me queda', 'no me quedan', 'no puedo', 'cant make', 'cant do', 'cannot',
]);
const NEGATED_DAY = new RegExp(
  `\\b(?:not|no|cant|cannot|cant do|no puedo|no me sirve|no me queda)\\s+(?:on\\s+|el\\s+|the\\s+)?(?:${DAY_NAME}|today|tomorrow|hoy|manana)\\b`,
);
/** Every negated day, to remove them all from the text (global: used only with `replace`, which resets `lastIndex`). */
const NEGATED_DAYS = new RegExp(NEGATED_DAY.source, 'g');
/** "1 de diciembre", "1 dec". */
const DAY_MONTH = new RegExp(`\\b(\\d{1,2})\\s+(?:de\\s+)?${MONTH}\\b`);
/** "dec 1" (not "dec 10:30"). */
const MONTH_DAY = new RegExp(`\\b${MONTH}\\s+(\\d{1,2})\\b(?!:)`);
const WEEKDAY = new RegExp(`\\b${DAY_NAME}\\b`);
/** Each ordinal word ("the second one", "la última") with the index into the offered list it stands for, in ORDINALS order. */
const ORDINAL_PATTERNS: readonly (readonly [RegExp, number])[] = Object.entries(ORDINALS).map(([word, index]) => [new RegExp(`(?<!\\by )\\b${word}\\b`), index]);
const INDEX = /^(?:#|no|num|numero|number|opcion|option|la|el|the)?\s*(\d{1,2})(?:\s+(?:please|pls|por favor|porfa|gracias|thanks|one))?$/;

/** Slot text: like {@link words} but keeps ':' in times and reads "a. m." / "p.m." as am / pm. */
function slotWords(text: string): string {
  return squeezeRepeats(foldAccents(text))
    .replace(/\b([ap])\s?\.\s?m\b\.?/g, ' $1m ')
    .replace(/o['’]?\s?clock/g, ' ')
    .replace(/(\d)(st|nd|rd|th)\b/g, '$1 ')
    .replace(/[^a-z0-9:#\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function hourOf(hour: number, minute: number, suffix: string | undefined, period: Period | undefined): number | undefined {
  if (minute > 59 || hour > 23) return undefined;
  let h = hour;
  if (suffix === 'am' || suffix === 'pm') {
    if (hour < 1 || hour > 12) return undefined;
    h = (hour % 12) + (suffix === 'pm' ? 12 : 0);
  } else if (period === 'afternoon' || period === 'evening') {
    if (hour < 12) h = hour + 12;
  } else if (period !== 'morning' && hour >= 1 && hour <= 7) {
    h = hour + 12; // nobody books a 3 a.m. consultation: a bare 1–7 means afternoon
  }
  return h * 60 + minute;
}

/** Reads the day, time and period a free-text answer asks for, removing each piece from the text as it is read. */
function readWish(raw: string, today: LocalDate & { weekday: number }): Wish {
  let s = ` ${slotWords(raw)} `;
  const wish: Wish = { other: false };
  const take = (pattern: RegExp, use: (m: RegExpExecArray) => void): boolean => {
    const m = pattern.exec(s);
    if (!m) return false;
    use(m);
    s = `${s.slice(0, m.index)} ${s.slice(m.index + m[0].length)}`;
    return true;
  };
  if (NEGATED_DAY.test(s)) {
    wish.other = true;
    s = s.replace(NEGATED_DAYS, ' ');
  }
  const setDate = (month: number, day: number) => {
    if (day < 1 || day > 31) return;
    const year = month < today.month || (month === today.month && day < today.day) ? today.year + 1 : today.year;
    wish.date = { year, month, day };
  };
  take(DAY_MONTH, (m) => setDate(MONTHS[m[2]], Number(m[1]))) ||
    take(MONTH_DAY, (m) => setDate(MONTHS[m[1]], Number(m[2])));
  // Periods first, so "por la mañana" is the morning and a remaining "mañana" is tomorrow.
  if (take(/\bpasado\s+manana\b|\bday after tomorrow\b/, () => void (wish.date = addDays(today, 2)))) { /* read */ }
  take(/\b(?:this|esta)\s+(morning|afternoon|evening|manana|tarde|noche)\b|\btonight\b/, (m) => {
    wish.date = addDays(today, 0);
    wish.period = m[1] === undefined ? 'evening' : toPeriod(m[1]);
  });
  take(/\b(?:(?:por|en|de|a|durante)\s+la\s+(manana|tarde|noche)|(?:in\s+the\s+)?(morning|afternoon|evening|night)s?|(tarde|noche))\b/, (m) => {
    wish.period = toPeriod(m[1] ?? m[2] ?? m[3]);
  });
  take(/\b(?:today|hoy)\b/, () => void (wish.date = addDays(today, 0)));
  take(/\b(?:tomorrow|tmrw|tmr|tomorow|manana)\b/, () => void (wish.date = addDays(today, 1)));
  take(WEEKDAY, (m) => void (wish.weekday = weekdayFromWord(m[1])));
  const setTime = (hour: number, minute: number, suffix?: string) => {
    wish.time = hourOf(hour, minute, suffix, wish.period) ?? wish.time;
  };
  take(/\b(?:noon|midday|mediodia|medio dia)\b/, () => void (wish.time = 12 * 60));
  take(/\b(\d{1,2}):(\d{2})\s*(am|pm)?\b/, (m) => setTime(Number(m[1]), Number(m[2]), m[3])) ||
    take(/\b(\d{1,2})\s*(am|pm)\b/, (m) => setTime(Number(m[1]), 0, m[2])) ||
    take(/(?:\ba\s+las?|\bat|\bby|\baround|@)\s*(\d{1,2})\b(\s+y\s+(?:media|cuarto))?/, (m) =>
      setTime(Number(m[1]), m[2] === undefined ? 0 : m[2].includes('media') ? 30 : 15));
  for (const [pattern, index] of ORDINAL_PATTERNS) {
    if (take(pattern, () => void (wish.ordinal = index))) break;
  }
  if (OTHER.test(s)) wish.other = true;
  // A number left on its own is an hour only when the rest of the message is about time ("martes 10", "3 de la tarde").
  if (wish.time === undefined) {
    const short = s.trim().split(' ').filter(Boolean).length <= 2 && wish.ordinal === undefined && !wish.other;
    const timely = wish.date !== undefined || wish.weekday !== undefined || wish.period !== undefined;
    if (short || timely) take(/\b(\d{1,2})(\s+y\s+(?:media|cuarto))?\b/, (m) =>
      setTime(Number(m[1]), m[2] === undefined ? 0 : m[2].includes('media') ? 30 : 15));
  }
  if (wish.date !== undefined) wish.weekday = undefined; // a date says more than a weekday
  return wish;
}

function toPeriod(word: string): Period {
  if (word === 'manana' || word === 'morning') return 'morning';
  if (word === 'tarde' || word === 'afternoon') return 'afternoon';
  return 'evening';
}

function sameDate(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

function matcher(wish: Wish, tz: string, date: LocalDate | undefined): (slot: Slot) => boolean {
  return (slot) => {
    const p = zonedParts(slot.start, tz);
    const minute = p.hour * 60 + p.minute;
    if (date && !sameDate(p, date)) return false;
    if (!date && wish.weekday !== undefined && p.weekday !== wish.weekday) return false;
    if (wish.time !== undefined && minute !== wish.time) return false;
    if (wish.period && wish.time === undefined) {
      const [from, to] = PERIOD_RANGE[wish.period];
      if (minute < from || minute >= to) return false;
    }
    return true;
  };
}

function nearest(free: readonly Slot[], target: number): Slot[] {
  return [...free]
    .sort((a, b) => Math.abs(a.start.getTime() - target) - Math.abs(b.start.getTime() - target) || a.start.getTime() - b.start.getTime())
    .slice(0, 3)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Instant the client was aiming at, for choosing the nearest free slots. */
function target(wish: Wish, date: LocalDate | undefined, today: LocalDate, nowMinute: number, tz: string): number {
  const minute = wish.time ?? (wish.period ? PERIOD_TARGET[wish.period] : 12 * 60);
  const day = date ?? (wish.time !== undefined && wish.time <= nowMinute ? addDays(today, 1) : today);
  return zonedTimeToUtc(day.year, day.month, day.day, 0, minute, tz).getTime();
}

/**
 * Reads the client's choice of slot. A bare number n (1..offered.length) is offered[n-1]; ordinals ("the second one",
 * "la última") index the offered list. Otherwise the day (weekday names in both languages with or without accents, "today"
 * / "hoy", "tomorrow" / "mañana", "pasado mañana", "Dec 1" / "1 de dic"), time ("10", "10am", "10:40", "a las 10",
 * "3pm", "15:00", "3 de la tarde"; a bare hour 1–7 without am/pm means pm) and part of day ("in the morning", "por la
 * tarde") are matched first against offered, then against free: one match → pick; several → ambiguous (all offered
 * matches, or the first 3 free ones); none → unavailable with up to 3 free slots nearest the time asked for. "Other",
 * "ninguno", "another day", "not tuesday" → other. Nothing recognisable → undefined.
 */
export function parseSlotAnswer(
  text: string,
  ctx: { offered: readonly Slot[]; free: readonly Slot[]; tz: string; now: Date },
): SlotAnswer | undefined {
  const { offered, free, tz, now } = ctx;
  const index = INDEX.exec(words(text).replace(/\b(\d{1,2})(?:st|nd|rd|th|ro|ra|do|da|er|era|ero)\b/, '$1'));
  if (index) {
    const n = Number(index[1]);
    if (n >= 1 && n <= offered.length) return { kind: 'pick', slot: offered[n - 1] };
  }
  const today = zonedParts(now, tz);
  const wish = readWish(text, today);
  const constrained = wish.date !== undefined || wish.weekday !== undefined || wish.time !== undefined || wish.period !== undefined;
  if (!constrained) {
    if (wish.other) return { kind: 'other' };
    if (wish.ordinal === undefined) return undefined;
  }
  const inOffered = constrained ? offered.filter(matcher(wish, tz, wish.date)) : [...offered];
  if (wish.ordinal !== undefined && inOffered.length > 0) {
    const slot = inOffered.at(wish.ordinal);
    if (slot) return { kind: 'pick', slot };
  }
  if (!constrained) return undefined;
  if (inOffered.length === 1) return { kind: 'pick', slot: inOffered[0] };
  if (inOffered.length > 1) return { kind: 'ambiguous', matches: inOffered };
  const date = wish.date ?? (wish.weekday === undefined ? undefined : weekdayDate(wish.weekday, today, free, tz));
  const inFree = free.filter(matcher(wish, tz, date));
  if (inFree.length === 1) return { kind: 'pick', slot: inFree[0] };
  if (inFree.length > 1) return { kind: 'ambiguous', matches: inFree.slice(0, 3) };
  if (wish.other && wish.time === undefined && date === undefined) return { kind: 'other' };
  return { kind: 'unavailable', near: nearest(free, target(wish, date, today, today.hour * 60 + today.minute, tz)) };
}

/** The date a bare weekday means: its next occurrence, today included unless nothing is free today any more. */
function weekdayDate(weekday: number, today: LocalDate & { weekday: number }, free: readonly Slot[], tz: string): LocalDate {
  const ahead = (weekday - today.weekday + 7) % 7;
  if (ahead === 0 && !free.some((slot) => sameDate(zonedParts(slot.start, tz), today))) return addDays(today, 7);
  return addDays(today, ahead);
}
