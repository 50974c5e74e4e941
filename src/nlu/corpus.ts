/**
 * The training corpus: `intents/<id>.yml`, one file per intent, `examples.en` and `examples.es` lists (SPEC §4).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import type { IntentId, Lang } from './types';

/** One labelled example. */
export interface Example {
  readonly intent: IntentId;
  readonly lang: Lang;
  readonly text: string;
}

/** The examples of `intents/` and a fingerprint of the files they came from. */
export interface Corpus {
  readonly examples: readonly Example[];
  readonly intents: readonly IntentId[];
  /** sha256 over the file names and contents: changes whenever a file is added, removed or edited. */
  readonly fingerprint: string;
}

/** A corpus file that cannot be used, with the reason. Thrown by {@link loadCorpus}. */
export class CorpusError extends Error {}

function examplesOf(file: string, value: unknown, lang: Lang): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CorpusError(`${file}: examples.${lang} must be a list`);
  return value.map((item, i) => {
    if (typeof item !== 'string' && typeof item !== 'number') {
      throw new CorpusError(`${file}: examples.${lang}[${i}] must be text`);
    }
    return String(item);
  });
}

/** Reads every `*.yml` in `dir`. Throws {@link CorpusError} naming the file when one is malformed or the folder is empty. */
export function loadCorpus(dir: string): Corpus {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.yml') || n.endsWith('.yaml')).sort();
  } catch {
    throw new CorpusError(`cannot read the intents folder ${dir}`);
  }
  if (names.length === 0) throw new CorpusError(`no intent files (*.yml) in ${dir}`);
  const hash = createHash('sha256');
  const examples: Example[] = [];
  const intents: IntentId[] = [];
  for (const name of names) {
    const source = readFileSync(join(dir, name), 'utf8');
    hash.update(name).update('\0').update(source).update('\0');
    const intent = basename(name).replace(/\.ya?ml$/, '');
    let doc: unknown;
    try {
      doc = parse(source);
    } catch (err) {
      throw new CorpusError(`${name}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
    }
    const all = (doc as { examples?: Record<string, unknown> } | null)?.examples;
    if (!all || typeof all !== 'object') throw new CorpusError(`${name}: missing "examples:" with "en:" and "es:" lists`);
    intents.push(intent);
    for (const lang of ['en', 'es'] as const) {
      for (const text of examplesOf(name, all[lang], lang)) {
        if (text.trim()) examples.push({ intent, lang, text });
      }
    }
  }
  return { examples, intents, fingerprint: hash.digest('hex') };
}

/** A short follow-up and the topic it must be read as, after `after` was answered. */
export interface FollowUpCase {
  readonly after: IntentId;
  readonly text: string;
  readonly expect: IntentId;
}

/**
 * The follow-ups of `intents/context/*.yml` (`follow_ups: [{after, text, expect}]`), for measuring how messages are
 * read in context. [] when the folder is absent; throws {@link CorpusError} for a malformed file.
 */
export function loadFollowUps(dir: string): FollowUpCase[] {
  const folder = join(dir, 'context');
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => n.endsWith('.yml') || n.endsWith('.yaml')).sort();
  } catch {
    return [];
  }
  const cases: FollowUpCase[] = [];
  for (const name of names) {
    let doc: unknown;
    try {
      doc = parse(readFileSync(join(folder, name), 'utf8'));
    } catch (err) {
      throw new CorpusError(`context/${name}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
    }
    const list = (doc as { follow_ups?: unknown } | null)?.follow_ups;
    if (!Array.isArray(list)) throw new CorpusError(`context/${name}: missing "follow_ups:" list`);
    list.forEach((item, i) => {
      const c = item as Record<string, unknown>;
      if (typeof c?.after !== 'string' || typeof c.text !== 'string' || typeof c.expect !== 'string') {
        throw new CorpusError(`context/${name}: follow_ups[${i}] needs "after", "text" and "expect"`);
      }
      cases.push({ after: c.after, text: c.text, expect: c.expect });
    });
  }
  return cases;
}
