/**
 * The one input parser of the staff side: path ids, text fields (a JSON body or a form, the same rules), dates and
 * times, query numbers. Anything wrong is a {@link DeskError} 400 with a message a person can act on.
 */
import { withoutNul } from '../../text';
import type { Request } from 'express';
import { zonedTimeToUtc } from '../../booking/office-hours';
import { DeskError, parseDay } from '../../desk';

const MAX_ID = 2_147_483_647;

/** A positive whole number from the path. */
export function idParam(req: Request, name = 'id'): number {
  const raw = String(req.params[name] ?? '');
  const id = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id > MAX_ID) throw new DeskError(400, 'the id must be a positive whole number', 'bad-id');
  return id;
}

/** A client's chat id from the path (as the store keeps it: "15551230001@c.us"). */
export function chatParam(req: Request): string {
  const chat = String(req.params.chat ?? '');
  if (!/^[\w.+@:-]{1,100}$/.test(chat)) throw new DeskError(400, 'that is not a client id', 'bad-chat');
  return chat;
}

/** A string field of the body (JSON or form), trimmed; `required` refuses a missing or blank one. */
export function textField(req: Request, field: string, options: { required: boolean; max: number; label?: string }): string | undefined {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  const value = body[field];
  const label = options.label ?? `"${field}"`;
  if (value === undefined || value === null || value === '') {
    if (options.required) throw new DeskError(400, `${label} is required`, 'missing');
    return undefined;
  }
  if (typeof value !== 'string') throw new DeskError(400, `${label} must be a string`, 'not-text');
  const trimmed = withoutNul(value).trim(); // a NUL means nothing, and PostgreSQL cannot store it
  if (options.required && !trimmed) throw new DeskError(400, `${label} must not be blank`, 'blank');
  if (trimmed.length > options.max) throw new DeskError(400, `${label} must be at most ${options.max} characters`, 'too-long');
  return trimmed || undefined;
}

/** An optional YYYY-MM-DD query parameter that must be a real date (2026-02-31 is refused). */
export function dayQuery(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw new DeskError(400, `"${name}" must be a date YYYY-MM-DD`, 'bad-date');
  parseDay(raw);
  return raw;
}

/** A whole number query parameter within bounds, or its default. */
export function intQuery(req: Request, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d{1,4}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new DeskError(400, `"${name}" must be a whole number from ${min} to ${max}`, 'bad-number');
  }
  return Number(raw);
}

/** The `days` query parameter of insights: 1 to 365, default 30. */
export function daysQuery(req: Request): number {
  return intQuery(req, 'days', 30, 1, 365);
}

/** An optional search text from the query. */
export function searchQuery(req: Request): string | undefined {
  const raw = req.query.q;
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new DeskError(400, '"q" must be text', 'bad-query');
  if (raw.length > 100) throw new DeskError(400, '"q" must be at most 100 characters', 'bad-query');
  return raw.trim() || undefined;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The consultation time of a request: `start` as an ISO time with its offset (`2026-12-02T10:00:00-05:00`, the API
 * and the offered times), or `date` + `time` as the firm's wall-clock (the dashboard's own fields).
 */
export function startField(req: Request, timezone: string, options: { required: boolean } = { required: true }): Date | undefined {
  const start = textField(req, 'start', { required: false, max: 40 });
  if (start) {
    const at = new Date(start);
    if (!ISO_TIME.test(start) || Number.isNaN(at.getTime())) throw new DeskError(400, '"start" must be an ISO time with its offset, e.g. 2026-12-02T10:00:00-05:00', 'bad-time');
    parseDay(start.slice(0, 10));
    return at;
  }
  const date = textField(req, 'date', { required: false, max: 10, label: 'The date' });
  const time = textField(req, 'time', { required: false, max: 5, label: 'The time' });
  if (!date && !time) {
    if (options.required) throw new DeskError(400, 'choose one of the free times, or write a date and a time', 'missing');
    return undefined;
  }
  if (!date || !time) throw new DeskError(400, 'write both the date and the time', 'missing');
  const day = parseDay(date);
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!m) throw new DeskError(400, 'write the time as HH:MM, e.g. 14:20', 'bad-time');
  return zonedTimeToUtc(day.year, day.month, day.day, Number(m[1]), Number(m[2]), timezone);
}
