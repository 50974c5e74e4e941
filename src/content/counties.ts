/**
 * 287(g) agreements by county, for New York and New Jersey: `responses/287g-counties.yml`, maintained by the firm.
 *
 * `findCounty` recognises a county named in a client's message (English or Spanish, accents optional, borough
 * names for New York City); `describeCounty` writes the reply: what the file records for that county as of its
 * date, or that there is no verified record, always with ICE's current list. Nothing is ever guessed: a county
 * without an entry is reported as unknown.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Lang } from '../nlu/types';
import { ContentError } from './explainers';

/** The states the firm works in. */
export type StateCode = 'NY' | 'NJ';
export const STATE_CODES: readonly StateCode[] = ['NY', 'NJ'];

/** The three 287(g) models ICE runs. */
export const MODELS = ['Jail Enforcement Model', 'Task Force Model', 'Warrant Service Officer'] as const;
export type Model = (typeof MODELS)[number];

/** Where an agreement stands on ICE's list. */
export const STATUSES = ['participating', 'pending', 'ended'] as const;
export type AgreementStatus = (typeof STATUSES)[number];

/** One agreement of one agency, as verified on `as_of`. */
export interface CountyEntry {
  readonly county: string;
  readonly state: StateCode;
  readonly agency: string;
  readonly model: Model;
  readonly status: AgreementStatus;
  /** Date the agreement was signed (ICE's "SIGNED" column), when known. */
  readonly signed?: string;
  /** Date of the list or page this entry was checked against (YYYY-MM-DD). */
  readonly asOf: string;
  readonly source: string;
}

/** A county of New York or New Jersey, as listed in the file. */
export interface County {
  readonly name: string;
  readonly state: StateCode;
  readonly aliases: readonly string[];
  /** The name is also a common word or another place: recognised only next to "county"/"condado" or a state. */
  readonly needsContext: boolean;
}

/** A county recognised in a message, with the file's entries for it (empty: no verified record). */
export interface CountyMatch {
  readonly county: string;
  readonly state: StateCode;
  /** The first entry, when there is one. */
  readonly entry?: CountyEntry;
  readonly entries: readonly CountyEntry[];
}

/** A county name that exists in both states, with no state said: ask which one. */
export interface AmbiguousCounty {
  readonly county: string;
  readonly ambiguous: readonly StateCode[];
}

interface StateInfo {
  readonly name: Readonly<Record<Lang, string>>;
  readonly note?: Readonly<Record<Lang, string>>;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Words that, right after a place name, show it is not the county ("washington heights", "union city"). */
const NOT_COUNTY_AFTER = new Set([
  'heights', 'city', 'township', 'twp', 'village', 'town', 'street', 'st', 'ave', 'avenue', 'av', 'road', 'rd', 'park',
  'hill', 'hills', 'falls', 'river', 'valley', 'ocean', 'lake', 'square', 'sq', 'beach', 'bridge', 'university',
  'high', 'station', 'plaza', 'blvd', 'boulevard', 'place', 'pl', 'lane', 'ln', 'dc', 'state', 'oh', 'pa', 'ct',
]);
/** Words that, right before a place name, show it is not the county ("new orleans", "upper montclair"). */
const NOT_COUNTY_BEFORE = new Set(['new', 'lake', 'mount', 'mt', 'port', 'fort', 'east', 'west', 'north', 'south', 'upper', 'lower', 'calle']);
const COUNTY_WORDS = ['county', 'co', 'cnty', 'counties'];
const CONDADO_WORDS = ['condado', 'condados', 'county'];

/** Lower case, no accents, punctuation to spaces, single spaces; "st." and "saint" both become "saint". */
export function normaliseForCounties(text: string): string {
  return ` ${text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/\bst\b(?= lawrence)/g, 'saint')
    .replace(/\bsan lorenzo\b/g, 'saint lawrence')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

/** How a county is found in normalised text, worked out once per county. */
interface CountyNames {
  /** The name, normalised, with a space either side (" nassau "): a bare mention. */
  readonly bare: string;
  /** The aliases, normalised, each with a space either side. */
  readonly aliases: readonly string[];
  /** "nassau county", "nassau co". */
  readonly withCounty: RegExp;
  /** "condado de nassau", "county of nassau", "condado nassau". */
  readonly withCondado: RegExp;
}

function countyNames(county: County): CountyNames {
  const name = normaliseForCounties(county.name).trim();
  const n = escape(name);
  return {
    bare: ` ${name} `,
    aliases: county.aliases.map((a) => ` ${normaliseForCounties(a).trim()} `),
    withCounty: new RegExp(` ${n} (?:${COUNTY_WORDS.join('|')}) `),
    withCondado: new RegExp(` (?:${CONDADO_WORDS.join('|')}) (?:(?:de|del|of) )?(?:la |el )?${n} `),
  };
}

/** The 287(g) county file, loaded and checked. */
export class CountyDirectory {
  /** Each county's names and patterns, in `countyList` order. */
  private readonly names: ReadonlyMap<County, CountyNames>;

  private constructor(
    readonly listUrl: string,
    private readonly states: ReadonlyMap<StateCode, StateInfo>,
    private readonly countyList: readonly County[],
    private readonly entryList: readonly CountyEntry[],
  ) {
    this.names = new Map(countyList.map((county) => [county, countyNames(county)]));
  }

  /** Loads `responses/287g-counties.yml`. Throws {@link ContentError} naming the file and the bad entry. */
  static load(file: string): CountyDirectory {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      throw new ContentError(`${file}: cannot read the 287(g) county file`);
    }
    return CountyDirectory.parse(source, file);
  }

  /** Parses the file's text. Throws {@link ContentError} naming `file` and the bad entry. */
  static parse(source: string, file = '287g-counties.yml'): CountyDirectory {
    let doc: Record<string, unknown>;
    try {
      doc = (parse(source) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new ContentError(`${file}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
    }
    const fail = (where: string, problem: string): never => {
      throw new ContentError(`${file}: ${where}: ${problem}`);
    };
    if (typeof doc !== 'object' || Array.isArray(doc)) fail('top level', 'expected list_url, states and entries');
    const listUrl = doc.list_url;
    if (typeof listUrl !== 'string' || !/^https:\/\//.test(listUrl)) fail('list_url', 'must be an https:// address (ICE\'s list of 287(g) agreements)');

    const statesRaw = doc.states as Record<string, unknown> | undefined;
    if (!statesRaw || typeof statesRaw !== 'object') fail('states', 'missing');
    const states = new Map<StateCode, StateInfo>();
    const counties: County[] = [];
    for (const code of STATE_CODES) {
      const raw = (statesRaw as Record<string, unknown>)[code] as Record<string, unknown> | undefined;
      if (!raw || typeof raw !== 'object') fail(`states.${code}`, 'missing');
      const state = raw as Record<string, unknown>;
      const name = bilingual(state.name, `states.${code}.name`, fail);
      const note = state.note === undefined ? undefined : bilingual(state.note, `states.${code}.note`, fail);
      states.set(code, { name, note });
      if (!Array.isArray(state.counties) || state.counties.length === 0) fail(`states.${code}.counties`, 'must list the state\'s counties');
      (state.counties as unknown[]).forEach((c, i) => {
        const where = `states.${code}.counties[${i}]`;
        const county = typeof c === 'string' ? { name: c } : (c as Record<string, unknown>);
        if (!county || typeof county !== 'object' || typeof county.name !== 'string' || !county.name.trim()) fail(where, 'needs a county name');
        const aliases = county.aliases ?? [];
        if (!Array.isArray(aliases) || !aliases.every((a) => typeof a === 'string' && a.trim())) fail(where, 'aliases must be a list of names');
        if (county.needs_context !== undefined && typeof county.needs_context !== 'boolean') fail(where, 'needs_context must be true or false');
        const countyName = (county.name as string).trim();
        if (counties.some((k) => k.state === code && k.name === countyName)) fail(where, `${countyName} is listed twice`);
        counties.push({ name: countyName, state: code, aliases: (aliases as string[]).map((a) => a.trim()), needsContext: county.needs_context === true });
      });
    }

    if (!Array.isArray(doc.entries)) fail('entries', 'must be a list (it may be empty)');
    const entries = (doc.entries as unknown[]).map((e, i): CountyEntry => {
      const raw = e as Record<string, unknown>;
      const where = `entries[${i}]${raw && typeof raw.county === 'string' ? ` (${raw.county})` : ''}`;
      if (!raw || typeof raw !== 'object') fail(where, 'must be a mapping');
      const state = raw.state;
      if (state !== 'NY' && state !== 'NJ') fail(where, 'state must be NY or NJ');
      if (typeof raw.county !== 'string' || !counties.some((c) => c.state === state && c.name === raw.county)) {
        fail(where, `county must be one of the counties listed for ${String(state)}`);
      }
      if (typeof raw.agency !== 'string' || !raw.agency.trim()) fail(where, 'agency is missing');
      if (!MODELS.includes(raw.model as Model)) fail(where, `model must be one of: ${MODELS.join(', ')}`);
      if (!STATUSES.includes(raw.status as AgreementStatus)) fail(where, `status must be one of: ${STATUSES.join(', ')}`);
      const asOf = isoDate(raw.as_of);
      if (!asOf) fail(where, 'as_of must be a date (YYYY-MM-DD)');
      const signed = raw.signed === undefined ? undefined : isoDate(raw.signed);
      if (raw.signed !== undefined && !signed) fail(where, 'signed must be a date (YYYY-MM-DD)');
      if (typeof raw.source !== 'string' || !/^https:\/\/\S+$/.test(raw.source)) fail(where, 'source must be the https:// address where the entry was verified');
      return {
        county: raw.county as string,
        state: state as StateCode,
        agency: (raw.agency as string).trim(),
        model: raw.model as Model,
        status: raw.status as AgreementStatus,
        signed,
        asOf: asOf as string,
        source: raw.source as string,
      };
    });
    return new CountyDirectory(listUrl as string, states, counties, entries);
  }

  /** Every county of `state` (or of both states), in file order. */
  counties(state?: StateCode): readonly County[] {
    return state ? this.countyList.filter((c) => c.state === state) : this.countyList;
  }

  /** Every entry, in file order. */
  entries(): readonly CountyEntry[] {
    return this.entryList;
  }

  /** The state's name in `lang` ("New York", "Nueva Jersey"). */
  stateName(state: StateCode, lang: Lang): string {
    return this.states.get(state)?.name[lang] ?? state;
  }

  /**
   * The county a message names, or undefined when it names none. A name that exists in both states ("Essex",
   * "Warren") is resolved by a state mention ("NJ", "Nueva York") or returned as {@link AmbiguousCounty}. When
   * several counties are named, the first one in the message wins.
   */
  findCounty(text: string): CountyMatch | AmbiguousCounty | undefined {
    const norm = normaliseForCounties(text);
    if (norm.trim() === '') return undefined;
    const saidStates = statesMentioned(norm);
    const hits: { county: County; at: number }[] = [];
    for (const county of this.countyList) {
      const at = this.firstMention(county, norm, saidStates);
      if (at >= 0) hits.push({ county, at });
    }
    if (hits.length === 0) return undefined;
    let candidates = hits;
    if (saidStates.size === 1) {
      const inState = hits.filter((h) => saidStates.has(h.county.state));
      if (inState.length > 0) candidates = inState;
    }
    candidates.sort((a, b) => a.at - b.at);
    const first = candidates[0];
    const sameName = candidates.filter((h) => h.county.name === first.county.name);
    const statesForName = [...new Set(sameName.map((h) => h.county.state))];
    if (statesForName.length > 1) return { county: first.county.name, ambiguous: statesForName };
    const entries = this.entryList.filter((e) => e.state === first.county.state && e.county === first.county.name);
    return { county: first.county.name, state: first.county.state, entry: entries[0], entries };
  }

  /** Position of the first mention of `county` in normalised text, or -1. */
  private firstMention(county: County, norm: string, saidStates: ReadonlySet<StateCode>): number {
    const names = this.names.get(county)!;
    // Most counties are not in the message at all: skip the patterns unless the name (or an alias) appears.
    if (!norm.includes(names.bare) && !names.aliases.some((a) => norm.includes(a))) return -1;
    const positions: number[] = [];
    const find = (pattern: RegExp) => {
      const m = pattern.exec(norm);
      if (m) positions.push(m.index);
    };
    find(names.withCounty);
    find(names.withCondado);
    for (const alias of names.aliases) {
      const at = norm.indexOf(alias);
      if (at >= 0) positions.push(at);
    }
    const bareAllowed = !county.needsContext || saidStates.has(county.state);
    if (bareAllowed && county.name !== 'New York') {
      // Each mention in turn (after the one before), until one is not part of another name ("new essex", "essex street").
      for (let at = norm.indexOf(names.bare); at >= 0; at = norm.indexOf(names.bare, at + names.bare.length)) {
        const before = norm.slice(0, at).trim().split(' ').pop() ?? '';
        const after = norm.slice(at + names.bare.length).split(' ')[0] ?? '';
        if (NOT_COUNTY_BEFORE.has(before) || NOT_COUNTY_AFTER.has(after)) continue;
        positions.push(at);
        break;
      }
    }
    return positions.length ? Math.min(...positions) : -1;
  }

  /**
   * The reply for a recognised county, in `lang`: what the file records as of its date (with source), or that
   * there is no verified record; always with ICE's current list. For an ambiguous name, asks which state.
   */
  describeCounty(match: CountyMatch | AmbiguousCounty, lang: Lang): string {
    const en = lang === 'en';
    if ('ambiguous' in match) {
      const states = match.ambiguous.map((s) => this.stateName(s, lang));
      return en
        ? `There is an *${match.county} County* in ${states.join(' and ')}. Which one do you mean? Write, for example, "${match.county} County ${match.ambiguous[match.ambiguous.length - 1]}".`
        : `Hay un *condado de ${match.county}* en ${states.join(' y en ')}. ¿Cuál de los dos? Escriba, por ejemplo, "condado de ${match.county} ${match.ambiguous[match.ambiguous.length - 1]}".`;
    }
    const state = this.states.get(match.state);
    const heading = en ? `*${match.county} County, ${match.state} — 287(g)*` : `*Condado de ${match.county}, ${match.state} — 287(g)*`;
    const lines = [heading];
    const current = match.entries.filter((e) => e.status !== 'ended');
    if (match.entries.length === 0) {
      lines.push(
        en
          ? `I have no verified record of a 287(g) agreement in ${match.county} County, so I cannot tell you whether it has one.`
          : `No tengo un dato verificado sobre acuerdos 287(g) en el condado de ${match.county}, así que no puedo decirle si tiene uno.`,
      );
      if (state?.note) lines.push(state.note[lang]);
    } else {
      const asOf = [...new Set(match.entries.map((e) => e.asOf))].sort();
      const date = formatDate(asOf[0], lang);
      if (current.length > 0) {
        lines.push(en ? `ICE's list of 287(g) agreements, as of ${date}, included:` : `La lista de acuerdos 287(g) de ICE, al ${date}, incluía:`);
      } else {
        lines.push(en ? `As of ${date}, these 287(g) agreements had ended:` : `Al ${date}, estos acuerdos 287(g) habían terminado:`);
      }
      for (const e of match.entries) {
        const status = e.status === 'pending' ? (en ? ' (pending)' : ' (pendiente)') : e.status === 'ended' && current.length > 0 ? (en ? ' (ended)' : ' (terminado)') : '';
        lines.push(`• ${e.agency}: ${modelLabel(e.model, lang)}${status}`);
      }
      const sources = [...new Set(match.entries.map((e) => e.source))].filter((s) => s !== this.listUrl);
      if (sources.length) lines.push(`${en ? 'Source' : 'Fuente'}: ${sources.join(' ')}`);
      lines.push(en ? 'Agreements start and end often, so this may have changed.' : 'Estos acuerdos empiezan y terminan con frecuencia; puede haber cambiado.');
    }
    lines.push(en ? `ICE's current list: ${this.listUrl}` : `Lista actual de ICE: ${this.listUrl}`);
    return lines.join('\n');
  }
}

/** Loads the county file (see {@link CountyDirectory.load}). */
export function loadCounties(file: string): CountyDirectory {
  return CountyDirectory.load(file);
}

const MODEL_LABELS: Record<Model, Record<Lang, string>> = {
  'Jail Enforcement Model': { en: 'Jail Enforcement Model (in the jail)', es: 'modelo de cárcel (Jail Enforcement)' },
  'Task Force Model': { en: 'Task Force Model (in the community)', es: 'modelo Task Force (en la comunidad)' },
  'Warrant Service Officer': { en: 'Warrant Service Officer (ICE warrants in the jail)', es: 'Warrant Service Officer (órdenes de ICE en la cárcel)' },
};

function modelLabel(model: Model, lang: Lang): string {
  return MODEL_LABELS[model][lang];
}

const MONTHS: Record<Lang, readonly string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
};

/** "Jul 18, 2025" / "18 de julio de 2025". */
export function formatDate(iso: string, lang: Lang): string {
  const [y, m, d] = iso.split('-').map(Number);
  return lang === 'en' ? `${MONTHS.en[m - 1]} ${d}, ${y}` : `${d} de ${MONTHS.es[m - 1]} de ${y}`;
}

/** States named in normalised text ("ny", "nueva york", "new jersey", "jersey"…). */
function statesMentioned(norm: string): Set<StateCode> {
  const said = new Set<StateCode>();
  // "new york county" names a county, not (only) the state; the county itself is in NY anyway.
  if (/ (?:ny|nys|n y|new york|nueva york|newyork|nuevayork|upstate) /.test(norm)) said.add('NY');
  if (/ (?:nj|n j|new jersey|nueva jersey|newjersey|jersey|nueva jersey) /.test(norm)) said.add('NJ');
  return said;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isoDate(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'string' && ISO_DATE.test(value)) return value;
  return undefined;
}

function bilingual(value: unknown, where: string, fail: (where: string, problem: string) => never): Record<Lang, string> {
  const v = value as Record<string, unknown> | undefined;
  if (!v || typeof v !== 'object' || typeof v.en !== 'string' || typeof v.es !== 'string' || !v.en.trim() || !v.es.trim()) {
    return fail(where, 'needs an English (en) and a Spanish (es) text');
  }
  return { en: v.en.trim(), es: v.es.trim() };
}
