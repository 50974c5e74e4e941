/** Shared values for the content checks: where the files are and realistic placeholder values. */
import { join } from 'node:path';
import type { Placeholders } from '../../src/content/explainers';

export const RESPONSES_DIR = join(__dirname, '..', '..', 'responses');
export const COUNTIES_FILE = join(RESPONSES_DIR, '287g-counties.yml');
export const PUBLIC_NUMBERS_FILE = join(RESPONSES_DIR, 'public-numbers.yml');

/** Every placeholder an explainer may use. */
export const KNOWN_PLACEHOLDERS = ['firm.name', 'firm.phone', 'firm.email', 'firm.address', 'firm.hours', 'consultation.fee', 'consultation.minutes'];

/** Long but realistic values, so the length limit holds for a real firm. */
export const REALISTIC: Placeholders = {
  'firm.name': 'Rivera, Cohen & Asociados Immigration Law, PLLC',
  'firm.phone': '+1 (212) 555-0147',
  'firm.email': 'consultas@riveracohen-immigration.com',
  'firm.address': '450 Seventh Avenue, Suite 1201, New York, NY 10123',
  'firm.hours': 'Mon–Fri 09:00–17:00, Sat 10:00–13:00',
  'consultation.fee': '$150 (flat fee)',
  'consultation.minutes': '40',
};

/** Conversational replies: no legal topic, so no follow-up reminder is needed. */
export const CONVERSATIONAL = ['greeting', 'thanks', 'goodbye', 'menu', 'none', 'human', 'contact', 'fees', 'consultation_book'];

/** WhatsApp-sized limit for the main text and for each section, once placeholders are filled. */
export const MAX_CHARS = 700;
export const MAX_REMINDER_CHARS = 200;
