/**
 * The booking form (SPEC §2 journey 5): phone or office → full name → a time (numbered free slots, or "other" with a
 * preference) → topic → confirmation. Also moving an existing consultation (time → confirmation). Every step takes
 * natural answers, re-asks politely on anything else, and `cancel` leaves (handled by the engine's commands).
 */
import { daysRuledOut, parseMode, parseName, parseSlotAnswer, parseYesNo } from '../booking/answers';
import { isOpen } from '../booking/office-hours';
import { allFreeSlots, availableSlots, formatInterval, type Slot } from '../booking/slots';
import type { Understanding } from '../nlu/nlu';
import type { IntentId, Lang } from '../nlu/types';
import { parseCommand } from './commands';
import type { Composer } from './compose';
import type { Draft, EngineSettings } from './draft';
import { wantsAnotherTime } from './signals';
import { STRINGS, type BookingSummary } from './strings';
import type { Form, HandoffKind, Interval, UpcomingConsultation } from './types';

type BookingForm = Extract<Form, { kind: 'booking' }>;

/** What the flow borrows from the engine. */
export interface FlowHost {
  say(d: Draft, text: string): void;
  whenStaff(kind: HandoffKind, lang: Lang, now: Date): string;
}

/** How many slots to offer at once. */
const OFFER = 4;
/** Questions about the booking itself, answered at any step without leaving the form. */
const ASIDES = new Set<IntentId>(['fees', 'contact']);
/** Other questions are answered as an aside only when the classifier is this sure (the form is asked again after). */
const ASIDE_CONFIDENCE = 0.75;
const NOT_ASIDES = new Set<IntentId>(['none', 'greeting', 'thanks', 'goodbye', 'menu', 'consultation_book', 'human', 'urgent_detention']);

const toSlot = (i: Interval): Slot => ({ start: new Date(i.start), end: new Date(i.end) });
const toInterval = (s: Slot): Interval => ({ start: s.start.toISOString(), end: s.end.toISOString() });
const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

/** Runs the booking form inside a turn. */
export class BookingFlow {
  constructor(
    private readonly composer: Composer,
    private readonly settings: EngineSettings,
    private readonly host: FlowHost,
  ) {}

  /** When the office is closed now, the sentence saying from when staff answer; otherwise empty. */
  private closedNotice(lang: Lang, now: Date): string {
    return isOpen(this.settings.hours, this.settings.timezone, now) ? '' : this.host.whenStaff('consultation', lang, now);
  }

  /** "Consultations last 40 minutes; times are New York time. Free times:" */
  private slotsIntro(lang: Lang): string {
    return STRINGS[lang].slotsIntro(this.settings.consultationMinutes, zoneName(this.settings.timezone, lang));
  }

  private formatInterval(slot: Interval, lang: Lang): string {
    return formatInterval(slot, this.settings.timezone, lang);
  }

  /** Starts a new booking: what a consultation is, then the first question. */
  start(d: Draft): void {
    d.intent = 'consultation_book';
    d.state = { ...d.state, choices: [], form: { kind: 'booking', step: 'mode', retries: 0 } };
    this.host.say(d, `${this.composer.explainer('consultation_book', d.state.lang)}\n\n${STRINGS[d.state.lang].askMode}`);
  }

  /** Starts moving an upcoming consultation to another time. */
  startMove(d: Draft, upcoming: UpcomingConsultation): void {
    d.intent = 'consultation_manage';
    // "I can't do Wednesday any more": the times offered leave that day out.
    const avoidDays = d.text ? daysRuledOut(d.text) : [];
    d.state = { ...d.state, choices: [], form: { kind: 'booking', step: 'slot', mode: upcoming.mode, moving: upcoming.id, retries: 0, avoidDays } };
    this.offer(d, this.slotsIntro(d.state.lang));
  }

  /** Asks the current step's question again (after a language switch). */
  repeat(d: Draft): void {
    const form = d.state.form;
    if (form?.kind !== 'booking') return;
    if (form.step === 'slot') return this.offer(d, this.slotsIntro(d.state.lang));
    this.host.say(d, this.question(form, d.state.lang));
  }

  /** Handles the client's answer to the current step. `u` is the classifier's reading (absent for a bare number). */
  answer(d: Draft, text: string, u: Understanding | undefined): void {
    const form = d.state.form;
    if (form?.kind !== 'booking') return;
    d.intent = form.moving ? 'consultation_manage' : 'consultation_book';
    const s = STRINGS[d.state.lang];
    switch (form.step) {
      case 'mode': {
        const n = bareNumber(text);
        const mode = n === 1 ? 'phone' : n === 2 ? 'office' : n === undefined ? parseMode(text) : undefined;
        if (!mode) return this.reask(d, form, u);
        return this.next(d, { ...form, mode, step: 'name' }, s.askName);
      }
      case 'name': {
        const name = parseName(text);
        if (!name) return this.reask(d, form, u);
        this.set(d, { ...form, name, step: 'slot', retries: 0 });
        return this.offer(d, this.slotsIntro(d.state.lang));
      }
      case 'slot':
        return this.slotAnswer(d, form, text, u);
      case 'preference': {
        const preference = freeText(text, 200);
        if (!preference || parseYesNo(text)) return this.reask(d, form, u);
        const next: BookingForm = { ...form, preference, slot: undefined, retries: 0 };
        return form.moving ? this.confirm(d, next) : this.next(d, { ...next, step: 'topic' }, s.askTopic);
      }
      case 'topic': {
        const topic = freeText(text, 300);
        if (!topic || parseYesNo(text) || bareNumber(text) !== undefined) return this.reask(d, form, u);
        return this.confirm(d, { ...form, topic });
      }
      case 'confirm':
        return this.confirmAnswer(d, form, text, u);
    }
  }

  private slotAnswer(d: Draft, form: BookingForm, text: string, u: Understanding | undefined): void {
    const s = STRINGS[d.state.lang];
    const offered = (form.offered ?? []).map(toSlot);
    const n = bareNumber(text);
    if (n === offered.length + 1) return this.toPreference(d, form);
    // "I can't do Wednesday": other times, without that day.
    const ruledOut = daysRuledOut(text);
    if (ruledOut.length > 0) {
      this.set(d, { ...form, avoidDays: withAvoidDays(form, ruledOut), retries: 0 });
      return this.offer(d, this.slotsIntro(d.state.lang));
    }
    const answer = parseSlotAnswer(text, { offered, free: this.free(d), tz: this.settings.timezone, now: d.now });
    if (!answer) return this.reask(d, form, u);
    switch (answer.kind) {
      case 'pick': {
        const next: BookingForm = { ...form, slot: toInterval(answer.slot), preference: undefined, retries: 0 };
        return form.moving || form.topic ? this.confirm(d, next) : this.next(d, { ...next, step: 'topic' }, s.askTopic);
      }
      case 'other':
        return this.toPreference(d, form);
      case 'ambiguous':
        return this.list(d, { ...form, retries: 0 }, s.slotAmbiguous, answer.matches.slice(0, OFFER));
      case 'unavailable':
        return answer.near.length > 0 ? this.list(d, { ...form, retries: 0 }, s.slotUnavailable, answer.near.slice(0, OFFER)) : this.toPreference(d, form);
    }
  }

  private confirmAnswer(d: Draft, form: BookingForm, text: string, u: Understanding | undefined): void {
    const s = STRINGS[d.state.lang];
    // "I can't do Wednesday", "no, Thursday morning instead": another time, said in words.
    const ruledOut = daysRuledOut(text);
    // A leading "no," answers the question; what follows is the time wanted ("no, thursday morning instead").
    const rest = text.replace(/^\s*(?:no|nope|nah)\b[\s,.;:!-]*/i, '');
    const wish = rest && bareNumber(rest) === undefined && parseYesNo(rest) === undefined ? parseSlotAnswer(rest, { offered: [], free: this.free(d), tz: this.settings.timezone, now: d.now }) : undefined;
    const yes = wantsAnotherTime(text) || (wish !== undefined && wish.kind !== 'other') ? 'no' : parseYesNo(text);
    if (yes === undefined) return this.reask(d, form, u);
    if (yes === 'no') {
      this.host.say(d, s.notBooked);
      // The time turned down, and any day they say they cannot do, are not offered again.
      const next: BookingForm = {
        ...form, slot: undefined, preference: undefined, retries: 0, offered: [],
        avoidDays: withAvoidDays(form, ruledOut),
        declined: form.slot ? [...(form.declined ?? []), form.slot.start].slice(-10) : form.declined,
      };
      this.set(d, next);
      // "No, Thursday morning instead": the answer already says which time.
      if (ruledOut.length === 0 && wish !== undefined && wish.kind !== 'other') {
        return this.slotAnswer(d, { ...next, step: 'slot' }, rest, u);
      }
      return this.offer(d, this.slotsIntro(d.state.lang));
    }
    const slot = form.slot;
    if (slot && d.context.busy.some((b) => overlaps(b, slot))) {
      this.set(d, { ...form, slot: undefined, retries: 0 });
      return this.offer(d, s.slotTaken);
    }
    const lang = d.state.lang;
    d.state = { ...d.state, form: undefined, choices: [], remindedAt: undefined };
    const when = slot ? this.formatInterval(slot, lang) : undefined;
    if (form.moving !== undefined) {
      d.effects.push({ type: 'consultation.moved', id: form.moving, lang, slot, preference: slot ? undefined : form.preference });
      return this.host.say(d, `${s.moved(when ?? form.preference ?? '')}\n${this.closedNotice(lang, d.now)}`);
    }
    d.effects.push({ type: 'consultation.requested', mode: form.mode!, name: form.name!, topic: form.topic!, lang, slot, preference: slot ? undefined : form.preference });
    const fee = s.feeLine(this.settings.fee, this.settings.consultationMinutes);
    this.host.say(d, s.booked(this.summary(form, lang), fee, this.closedNotice(lang, d.now)));
  }

  private confirm(d: Draft, form: BookingForm): void {
    const s = STRINGS[d.state.lang];
    const next: BookingForm = { ...form, step: 'confirm', retries: 0 };
    this.set(d, next);
    if (form.moving !== undefined) {
      const when = form.slot ? this.formatInterval(form.slot, d.state.lang) : (form.preference ?? '');
      return this.host.say(d, s.confirmMove(when));
    }
    this.host.say(d, s.confirm(this.summary(next, d.state.lang)));
  }

  private summary(form: BookingForm, lang: Lang): BookingSummary {
    return {
      mode: form.mode ?? 'phone',
      name: form.name ?? '',
      when: form.slot ? this.formatInterval(form.slot, lang) : undefined,
      preference: form.preference,
      topic: form.topic ?? '',
      minutes: this.settings.consultationMinutes,
    };
  }

  private toPreference(d: Draft, form: BookingForm): void {
    this.next(d, { ...form, step: 'preference', slot: undefined }, STRINGS[d.state.lang].askPreference);
  }

  /** Offers the next free slots (or asks for a preference when there are none). */
  private offer(d: Draft, intro: string): void {
    const form = d.state.form as BookingForm;
    // The days they cannot do and the times they turned down are left out of what is offered.
    const slots = availableSlots({ ...this.query(d), avoidWeekdays: form.avoidDays, declined: form.declined, limit: OFFER });
    if (slots.length === 0) {
      const s = STRINGS[d.state.lang];
      return this.next(d, { ...form, step: 'preference' }, `${s.noSlots}\n${s.askPreference}`);
    }
    this.list(d, form, intro, slots);
  }

  private list(d: Draft, form: BookingForm, intro: string, slots: readonly Slot[]): void {
    const lang = d.state.lang;
    const offered = slots.map(toInterval);
    this.set(d, { ...form, step: 'slot', offered });
    const lines = offered.map((slot, i) => `*${i + 1}* ${this.formatInterval(slot, lang)}`);
    lines.push(`*${offered.length + 1}* ${STRINGS[lang].slotOther}`);
    this.host.say(d, `${intro}\n${lines.join('\n')}`);
  }

  /** Every free slot, for matching what the client asks for by name (a day they named wins over one they ruled out). */
  private free(d: Draft): Slot[] {
    return allFreeSlots(this.query(d));
  }

  private query(d: Draft) {
    return {
      hours: this.settings.hours,
      tz: this.settings.timezone,
      minutes: this.settings.consultationMinutes,
      leadHours: this.settings.bookingLeadHours,
      now: d.now,
      busy: d.context.busy.map(toSlot),
    };
  }

  private next(d: Draft, form: BookingForm, question: string): void {
    this.set(d, { ...form, retries: 0 });
    this.host.say(d, question);
  }

  private set(d: Draft, form: BookingForm): void {
    d.state = { ...d.state, form };
  }

  /** Not an answer to the question: answer a fee/contact aside and ask again, or ask again politely. */
  private reask(d: Draft, form: BookingForm, u: Understanding | undefined): void {
    const lang = d.state.lang;
    const s = STRINGS[lang];
    this.set(d, { ...form, retries: form.retries + 1 });
    // From the third try on, offer a person as well as the way out.
    const hint = form.retries >= 2 ? s.reaskPerson : s.reaskHint;
    const aside = u && (ASIDES.has(u.intent) || (!NOT_ASIDES.has(u.intent) && u.confidence >= ASIDE_CONFIDENCE && u.wordCount >= 3));
    if (aside && form.step !== 'topic' && form.step !== 'preference') {
      this.host.say(d, this.composer.reminder(u.intent, lang));
    }
    if (form.step === 'slot') {
      const lines = (form.offered ?? []).map((slot, i) => `*${i + 1}* ${this.formatInterval(slot, lang)}`);
      lines.push(`*${(form.offered ?? []).length + 1}* ${s.slotOther}`);
      return this.host.say(d, `${s.pickFromList((form.offered ?? []).length + 1)}\n${lines.join('\n')}\n${hint}`);
    }
    this.host.say(d, `${this.question(form, lang, true)}\n${hint}`);
  }

  private question(form: BookingForm, lang: Lang, again = false): string {
    const s = STRINGS[lang];
    switch (form.step) {
      case 'mode':
        return s.askMode;
      case 'name':
        return again ? s.askNameAgain : s.askName;
      case 'preference':
        return again ? s.askPreferenceAgain : s.askPreference;
      case 'topic':
        return again ? s.askTopicAgain : s.askTopic;
      case 'confirm':
        return form.moving !== undefined ? s.confirmMove(form.slot ? this.formatInterval(form.slot, lang) : (form.preference ?? '')) : s.yesNo;
      case 'slot':
        return this.slotsIntro(lang);
    }
  }
}

/** The form's days the client cannot do, with `ruledOut` added (each day once). */
function withAvoidDays(form: BookingForm, ruledOut: readonly number[]): number[] {
  return [...new Set([...(form.avoidDays ?? []), ...ruledOut])];
}

/** "2", "2.", "#2", "opcion 2" → 2. */
function bareNumber(text: string): number | undefined {
  const command = parseCommand(text); // the same reading as numbers in the menu
  return command?.type === 'number' ? command.value : undefined;
}

/** Free text with at least three letters, trimmed to `max` characters. */
function freeText(text: string, max: number): string | undefined {
  const line = text.replace(/\s+/g, ' ').trim();
  if ((line.match(/\p{L}/gu) ?? []).length < 3) return undefined;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A readable name for the time zone: "America/New_York" → "New York" / "Nueva York". */
export function zoneName(tz: string, lang: Lang): string {
  const city = (tz.split('/').pop() ?? tz).replace(/_/g, ' ');
  const spanish: Record<string, string> = { 'New York': 'Nueva York', 'Los Angeles': 'Los Ángeles', 'Mexico City': 'Ciudad de México' };
  return lang === 'es' ? (spanish[city] ?? city) : city;
}
