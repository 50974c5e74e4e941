/**
 * Telling staff about new handoffs and consultation changes (SPEC §8): what the message says, when it may go out
 * (urgent at any hour, the rest from the next office opening), and delivering it with retries. Notifications are rows
 * written in the same transaction as the event, so none is lost if the process stops before sending.
 */
import { isOpen, nextOpening, type OfficeHours } from '../booking/office-hours';
import { formatInterval } from '../booking/slots';
import type { Notifier } from '../channels/channel';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { oneLine } from '../text';
import type { CaseDetails } from '../dialogue/types';
import { HANDOFF_PRIORITY, type ConsultationRecord, type NotificationPlanner, type Store, type StaffEvent } from '../store';
import { consultationSubject } from '../turn/apply';

export type { Notifier } from '../channels/channel';

/** What the planner needs to know about the firm. */
export interface PlannerSettings {
  readonly staffNumbers: readonly string[];
  readonly hours: OfficeHours;
  readonly timezone: string;
}

const KIND_LINE = {
  urgent: '🚨 *URGENT: detention reported*',
  human: '🙋 *Client asks for a person*',
  consultation: '📅 *Consultation request*',
  advice: '💬 *Free general-advice question*',
} as const;

const LANGUAGE = { en: 'English', es: 'Spanish' } as const;

/** A WhatsApp chat id as staff can dial it: "15551234567@c.us" → "+15551234567"; other ids unchanged. */
export function displayChat(chat: string): string {
  const digits = /^(\d{7,15})@(?:c\.us|s\.whatsapp\.net)$/.exec(chat)?.[1] ?? (/^\+?\d{7,15}$/.test(chat) ? chat.replace(/^\+/, '') : undefined);
  return digits ? `+${digits}` : chat;
}

/** The first word of a name, for the notification (the full name is in the inbox). */
function firstName(name: string | undefined): string | undefined {
  const first = name?.trim().split(/\s+/)[0];
  return first ? first.slice(0, 40) : undefined;
}


function consultationLine(c: ConsultationRecord, tz: string): string {
  const when = c.slot ? formatInterval(c.slot, tz, 'en') : `preference: "${oneLine(c.preference ?? '', 80)}"`;
  return `${c.mode === 'phone' ? 'Phone' : 'Office'} consultation #${c.id}, ${when}`;
}

/** Case details as staff read them: "Name: Carlos Mejia · Born: 1988-03-02 · Country: Honduras". */
export function detailsLine(d: CaseDetails | undefined): string {
  if (!d) return '';
  const parts = [
    d.relation && `Relation: ${d.relation}`, d.name && `Name: ${d.name}`, d.birthDate && `Born: ${d.birthDate}`, d.country && `Country: ${d.country}`,
    d.place && `Where: ${d.place}`, d.when && `When: ${d.when}`, d.aNumber && `A-number: ${d.aNumber}`,
  ].filter(Boolean);
  return parts.join(' · ');
}

/** The staff message for an event (English: it is for the firm's staff). */
export function staffMessage(event: StaffEvent, tz: string): string {
  switch (event.type) {
    case 'handoff': {
      const h = event.handoff;
      const suffix = event.escalated ? ' (escalated)' : event.again ? ' (reported again)' : '';
      const lines = [`${KIND_LINE[h.kind]}${suffix}`];
      // A consultation names the person who booked it (the case may carry a WhatsApp profile name, or another's).
      const who = [LANGUAGE[h.lang], firstName(event.consultation?.name ?? h.name)].filter(Boolean).join(' · ');
      lines.push(who);
      if (event.consultation) lines.push(consultationLine(event.consultation, tz));
      if (h.summary) lines.push(`"${oneLine(h.summary, 160)}"`);
      const details = detailsLine(h.details);
      if (details) lines.push(details);
      lines.push(`Chat: ${displayChat(h.chat)}`);
      lines.push('Reply in the chat or from the Puente inbox.');
      return lines.join('\n');
    }
    case 'handoff.details': {
      const lines = [`🆕 *New details on the ${h(event.handoff.kind)} case*`];
      const added = detailsLine(event.added);
      if (added) lines.push(added);
      if (event.note) lines.push(event.note);
      lines.push(`Chat: ${displayChat(event.handoff.chat)}`);
      return lines.join('\n');
    }
    case 'consultation.cancelled':
      return event.byErasure
        ? `❌ *Consultation cancelled*\n${consultationLine(event.consultation, tz)}\nThe client erased their data, so their details are gone.`
        : `❌ *Consultation cancelled by the client*\n${consultationLine(event.consultation, tz)}\nChat: ${displayChat(event.consultation.chat)}`;
    case 'consultation.moved':
      return `🔁 *Consultation moved by the client* (needs confirming again)\n${consultationLine(event.consultation, tz)}\nChat: ${displayChat(event.consultation.chat)}`;
  }
}

const h = (kind: string) => (kind === 'urgent' ? 'emergency' : kind);

/** The consultation an event is about, if any (its notifications share a subject: a newer one replaces an unsent one). */
function subjectOf(event: StaffEvent): string | undefined {
  if (event.type === 'consultation.cancelled' || event.type === 'consultation.moved') return consultationSubject(event.consultation.id);
  if (event.type === 'handoff' && event.consultation) return consultationSubject(event.consultation.id);
  return undefined;
}

/** Builds the planner called for every staff event, in the transaction that records it. */
export function notificationPlanner(settings: PlannerSettings): NotificationPlanner {
  return (event, at) => {
    const urgent = (event.type === 'handoff' || event.type === 'handoff.details') && event.handoff.kind === 'urgent';
    const priority = event.type === 'handoff' || event.type === 'handoff.details' ? HANDOFF_PRIORITY[event.handoff.kind] : HANDOFF_PRIORITY.consultation;
    const notBefore = urgent || isOpen(settings.hours, settings.timezone, at) ? at : (nextOpening(settings.hours, settings.timezone, at) ?? at);
    return { recipients: settings.staffNumbers, text: staffMessage(event, settings.timezone), priority, notBefore, subject: subjectOf(event) };
  };
}

/** Waits between attempts of a failing notification; after the last, it is given up (and stays visible as failed). */
export const RETRY_DELAYS_MS: readonly number[] = [30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000];

/** Notifications sent in one flush at most (the next flush goes on). */
const MAX_PER_FLUSH = 50;

/**
 * Sends due notifications, retrying failures with back-off. Each is claimed with a lease first, so with several
 * servers every notification goes out once, and one left by a server that died is sent by another. One flush runs at
 * a time in a process.
 */
export class NotificationDispatcher {
  private running: Promise<{ sent: number; failed: number }> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { store: Store; notifier: Notifier; clock: Clock; log: Logger; owner: string; leaseMs?: number; retryDelaysMs?: readonly number[] }) {}

  /** Sends everything due now. Never rejects. */
  flush(): Promise<{ sent: number; failed: number }> {
    this.running ??= this.sendDue().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Checks for due notifications every `intervalMs` until {@link stop}. */
  start(intervalMs = 15_000): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a flush in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async sendDue(): Promise<{ sent: number; failed: number }> {
    const { store, notifier, clock, log } = this.deps;
    const delays = this.deps.retryDelaysMs ?? RETRY_DELAYS_MS;
    let sent = 0;
    let failed = 0;
    // One claimed at a time, most urgent first: a claim only has to outlast one send (never a queue of slow ones, whose
    // leases could run out before their turn and let another server send them too), and an alert that arrives
    // meanwhile goes next.
    while (sent + failed < MAX_PER_FLUSH) {
      let n;
      try {
        [n] = await store.claimNotifications(this.deps.owner, clock.now(), this.deps.leaseMs ?? 60_000, 1);
      } catch (err) {
        log.error({ err }, 'could not read staff notifications');
        return { sent, failed };
      }
      if (!n) break;
      try {
        await notifier.notify(n.recipient!, n.text);
        await store.markNotificationSent(n.id, clock.now());
        sent++;
      } catch (err) {
        failed++;
        const now = clock.now();
        const delay = delays[n.attempts];
        const retryAt = delay === undefined ? undefined : new Date(now.getTime() + delay);
        const reason = err instanceof Error ? err.message : String(err);
        await store.markNotificationFailed(n.id, reason, retryAt, now).catch((e) => log.error({ err: e }, 'could not record a failed notification'));
        const fields = { notification: n.id, event: n.event, attempts: n.attempts + 1, reason };
        if (retryAt) log.warn({ ...fields, retryAt: retryAt.toISOString() }, 'staff notification failed; will retry');
        else log.error(fields, 'staff notification failed for good; it stays in the dashboard');
      }
    }
    return { sent, failed };
  }
}
