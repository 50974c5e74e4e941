/**
 * Commands recognised before classification (SPEC §6), case- and accent-insensitive, in both languages.
 */
import { foldAccents } from '../nlu/normalise';
import type { Lang } from '../nlu/types';

/** A recognised command. */
export type Command =
  | { readonly type: 'menu' }
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'human' }
  | { readonly type: 'language'; readonly lang: Lang }
  | { readonly type: 'cancel' }
  | { readonly type: 'stop' }
  | { readonly type: 'start' }
  | { readonly type: 'delete' }
  | { readonly type: 'urgent' }
  | { readonly type: 'staff-resume' };

/** Command words; a Map, so no client text can reach an inherited property ("constructor", "toString"). */
const WORDS: ReadonlyMap<string, Command> = new Map(Object.entries({
  menu: { type: 'menu' }, menus: { type: 'menu' }, '0': { type: 'menu' },
  agent: { type: 'human' }, human: { type: 'human' }, persona: { type: 'human' }, agente: { type: 'human' },
  english: { type: 'language', lang: 'en' }, ingles: { type: 'language', lang: 'en' },
  espanol: { type: 'language', lang: 'es' }, spanish: { type: 'language', lang: 'es' },
  cancel: { type: 'cancel' }, cancelar: { type: 'cancel' },
  stop: { type: 'stop' }, baja: { type: 'stop' },
  start: { type: 'start' }, inicio: { type: 'start' },
  delete: { type: 'delete' }, borrar: { type: 'delete' },
  urgent: { type: 'urgent' }, urgente: { type: 'urgent' }, emergency: { type: 'urgent' }, emergencia: { type: 'urgent' },
  '#bot': { type: 'staff-resume' },
} satisfies Record<string, Command>));

const NUMBER = /^(?:#|no\.?|num(?:ero)?\.?|n[°º]|opcion|option|la|el|number)?\s*(\d{1,2})\s*[.)]?$/;

/**
 * Recognises a whole message that is a command: a command word alone (punctuation and emoji around it ignored) or a
 * bare list number ("2", "2.", "#2", "opcion 2"). Returns undefined for anything else, so "stop the deportation" is a
 * question, not a command.
 */
export function parseCommand(text: string): Command | undefined {
  const folded = foldAccents(text).trim();
  if (folded === '#bot') return WORDS.get('#bot');
  const bare = folded.replace(/[^\p{L}\p{N}#°º. ]/gu, '').replace(/[.\s]+$/, '').trim();
  const word = WORDS.get(bare);
  if (word) return word;
  const number = NUMBER.exec(bare);
  if (number) {
    const value = Number(number[1]);
    return value === 0 ? { type: 'menu' } : { type: 'number', value };
  }
  return undefined;
}
