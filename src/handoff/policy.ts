/**
 * When the bot keeps quiet for a person, and when it reminds the client that a person is coming. Pure functions of
 * the open handoff and the time.
 */
import type { OpenHandoff } from '../dialogue/types';

/** Handoff timing settings (from HANDOFF_IDLE_HOURS and HANDOFF_REMINDER_MINUTES). */
export interface HandoffTiming {
  /** The bot resumes in a chat after this long without staff activity (or a new request). */
  readonly idleHours: number;
  /** At most one "you are in the queue" reminder per this many minutes. */
  readonly reminderMinutes: number;
}

const HOUR_MS = 3_600_000;

/** True while the bot must stay silent in a chat: a handoff is open and was active within the idle time. */
export function isPaused(handoff: OpenHandoff | undefined, now: Date, timing: HandoffTiming): handoff is OpenHandoff {
  if (!handoff) return false;
  return now.getTime() - Date.parse(handoff.activityAt) < timing.idleHours * HOUR_MS;
}

/**
 * Whether a client writing into a paused chat gets the queue reminder now. Never once staff have answered (a person
 * is already talking to them); otherwise once the reminder interval has passed since the request (details written
 * right after asking are simply read by staff) and since the last reminder.
 */
export function reminderDue(handoff: OpenHandoff, remindedAt: string | undefined, now: Date, timing: HandoffTiming): boolean {
  if (handoff.lastStaffAt) return false;
  const since = Math.max(Date.parse(handoff.createdAt), remindedAt ? Date.parse(remindedAt) : 0);
  return now.getTime() - since >= timing.reminderMinutes * 60_000;
}
