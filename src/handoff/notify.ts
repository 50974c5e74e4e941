/**
 * Telling staff about new handoffs and consultation changes (SPEC §8): what the message says, when it may go out
 * (urgent at any hour, the rest from the next office opening), and delivering it with retries. Notifications are rows
 * written in the same transaction as the event, so none is lost if the process stops before sending.
 */
import { isOpen, nextOpening, type OfficeHours } from '../booking/office-hours';
import { formatInterval } from '../booking/slots';
import type { Logger } from '../log';
import { oneLine } from '../text';
import type { ConsultationRecord, NotificationPlanner, NotificationStore, StaffEvent } from '../storage/types';
import { HANDOFF_PRIORITY } from '../storage/types';
import type { Clock } from '../turn';

/** Sends one staff notification through the active channel. Rejects when it could not be sent. */
export interface Notifier {
  notify(recipient: string, text: string): Promise<void>;
}

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

/** The staff message for an event (English: it is for the firm's staff). */
export function staffMessage(event: StaffEvent, tz: string): string {
  switch (event.type) {
    case 'handoff': {
      const h = event.handoff;
      const lines = [event.escalated ? `${KIND_LINE[h.kind]} (escalated)` : KIND_LINE[h.kind]];
      const who = [LANGUAGE[h.lang], firstName(h.name)].filter(Boolean).join(' · ');
      lines.push(who);
      if (event.consultation) lines.push(consultationLine(event.consultation, tz));
      if (h.summary) lines.push(`"${oneLine(h.summary, 160)}"`);
      lines.push(`Chat: ${displayChat(h.chat)}`);
      lines.push('Reply in the chat or from the Puente inbox.');
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

/** Builds the planner the store calls for every staff event. */
export function notificationPlanner(settings: PlannerSettings): NotificationPlanner {
  return (event, at) => {
    const urgent = event.type === 'handoff' && event.handoff.kind === 'urgent';
    const priority = event.type === 'handoff' ? HANDOFF_PRIORITY[event.handoff.kind] : HANDOFF_PRIORITY.consultation;
    const notBefore = urgent || isOpen(settings.hours, settings.timezone, at) ? at : (nextOpening(settings.hours, settings.timezone, at) ?? at);
    return { recipients: settings.staffNumbers, text: staffMessage(event, settings.timezone), priority, notBefore };
  };
}

/** Waits between attempts of a failing notification; after the last, it is given up (and stays visible as failed). */
export const RETRY_DELAYS_MS: readonly number[] = [30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000];

/** Sends due notifications, retrying failures with back-off. One flush runs at a time. */
export class NotificationDispatcher {
  private running: Promise<{ sent: number; failed: number }> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { store: NotificationStore; notifier: Notifier; clock: Clock; log: Logger; retryDelaysMs?: readonly number[] }) {}

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
    for (const n of store.dueNotifications(clock.now())) {
      try {
        await notifier.notify(n.recipient!, n.text);
        store.markNotificationSent(n.id, clock.now());
        sent++;
      } catch (err) {
        failed++;
        const now = clock.now();
        const delay = delays[n.attempts];
        const retryAt = delay === undefined ? undefined : new Date(now.getTime() + delay);
        const reason = err instanceof Error ? err.message : String(err);
        store.markNotificationFailed(n.id, reason, retryAt, now);
        const fields = { notification: n.id, event: n.event, attempts: n.attempts + 1, reason };
        if (retryAt) log.warn({ ...fields, retryAt: retryAt.toISOString() }, 'staff notification failed; will retry');
        else log.error(fields, 'staff notification failed for good; it stays in the dashboard');
      }
    }
    return { sent, failed };
  }
}
