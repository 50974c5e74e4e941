/**
 * Phone numbers in explainers: only the firm's own `{{firm.phone}}` or a number on the allow-list of verified
 * public numbers (`responses/public-numbers.yml`) may appear.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ContentError } from './explainers';

/** One verified public number. */
export interface PublicNumber {
  /** As written in the file, e.g. "1-800-354-0365". */
  readonly number: string;
  /** Ten digits, without the country code: the form used for comparison. */
  readonly digits: string;
  readonly who: string;
  /** The official page where the number was checked. */
  readonly source: string;
  readonly checked?: string;
}

/** US-style phone numbers: 1-800-354-0365, (800) 354-0365, 800.354.0365, +1 212 555 0147, 18003540365. */
const PHONE = /(?<![\w/.-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?![\w/-])/g;

/** The phone numbers written in `text`, each as ten digits (country code removed). */
export function phoneNumbersIn(text: string): string[] {
  return [...text.matchAll(PHONE)].map((m) => tenDigits(m[0]));
}

function tenDigits(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

/** Loads the allow-list. Throws {@link ContentError} naming the file and the bad entry. */
export function loadPublicNumbers(file: string): PublicNumber[] {
  let doc: { numbers?: unknown };
  try {
    doc = (parse(readFileSync(file, 'utf8')) ?? {}) as { numbers?: unknown };
  } catch (err) {
    throw new ContentError(`${file}: cannot read the allow-list of public numbers (${(err as Error).message.split('\n')[0]})`);
  }
  if (!Array.isArray(doc.numbers)) throw new ContentError(`${file}: expected a list under "numbers"`);
  return doc.numbers.map((raw: Record<string, unknown>, i: number): PublicNumber => {
    const where = `${file}: numbers[${i}]`;
    if (typeof raw?.number !== 'string' || phoneNumbersIn(raw.number).length !== 1) throw new ContentError(`${where}: "number" must be one phone number`);
    if (typeof raw.who !== 'string' || !raw.who.trim()) throw new ContentError(`${where}: "who" must say whose number it is`);
    if (typeof raw.source !== 'string' || !/^https:\/\/\S+$/.test(raw.source)) throw new ContentError(`${where}: "source" must be the https:// page where it was checked`);
    const checked = raw.checked instanceof Date ? raw.checked.toISOString().slice(0, 10) : typeof raw.checked === 'string' ? raw.checked : undefined;
    return { number: raw.number, digits: phoneNumbersIn(raw.number)[0], who: raw.who.trim(), source: raw.source, checked };
  });
}
