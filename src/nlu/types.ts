/** The two languages Puente speaks. */
export type Lang = 'en' | 'es';

/** Both languages, in a stable order. */
export const LANGS: readonly Lang[] = ['en', 'es'];

/** Intent ids fixed by the product contract (SPEC §4); `none` means "would not guess". */
export const INTENT_IDS = [
  'greeting', 'thanks', 'goodbye', 'menu', 'human', 'consultation_book', 'fees', 'contact', 'about_287g',
  'enforcement_abuse', 'mandamus', 'uscis_delay', 'civil_rights_lawsuit', 'injunction', 'complaint',
  'know_your_rights', 'ice_detainer', 'habeas_corpus', 'urgent_detention', 'community_help', 'other_immigration', 'none',
] as const;

/** An intent id. More may be added in `intents/`, so this is a string at run time. */
export type IntentId = string;

/** The intent that means "out of scope or too unsure to answer". */
export const NONE = 'none';
