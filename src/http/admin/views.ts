/**
 * HTML for the staff dashboard: an auto-escaping template tag, the page layout, and the small pieces every page uses
 * (badges, waiting times, times in the firm's zone, forms with the CSRF token). No front-end build, no JavaScript.
 */
import { createHash } from 'node:crypto';
import type { HandoffKind } from '../../dialogue/types';
import type { ConsultationStatus } from '../../store';
import { STYLE } from './style';

/** HTML that is safe to insert as is (built by {@link html}, or a constant). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Something a template may interpolate: text is escaped, {@link Html} is kept, lists are joined, nothing is empty. */
export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function render(part: Part): string {
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false || part === true) return '';
  return escapeHtml(String(part));
}

/**
 * Template tag: every interpolated value is escaped unless it is already {@link Html}. `null`, `undefined` and
 * booleans render as nothing, so `${cond && html`…`}` works.
 */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/**
 * Text as WhatsApp shows it: escaped, with *bold* and _italic_ (for Puente's and staff's messages; what clients wrote
 * is shown exactly as written).
 */
export function whatsappText(text: string): Html {
  const bold = /(^|[\s(“])\*(?=\S)([^*\n]*\S)\*(?=$|[\s.,;:!?)”])/gm;
  const italic = /(^|[\s(“])_(?=\S)([^_\n]*\S)_(?=$|[\s.,;:!?)”])/gm;
  return new Html(escapeHtml(text).replace(bold, '$1<strong>$2</strong>').replace(italic, '$1<em>$2</em>'));
}

/** Versioned stylesheet address, so browsers may cache it for long and still get a new one after a change. */
export const STYLE_VERSION = createHash('sha256').update(STYLE).digest('hex').slice(0, 10);

/** What the layout needs besides the page body. */
export interface LayoutOptions {
  readonly title: string;
  readonly firmName: string;
  /** The nav entry to highlight; omit on pages outside the nav (sign in, errors when signed out). */
  readonly active?: NavKey;
  /** Present when signed in: shows the nav and the sign-out form. */
  readonly session?: { readonly csrf: string; readonly inbox: number; readonly urgent: number; readonly name: string };
  /** A one-line notice above the page ("Reply sent."). */
  readonly flash?: string;
  /** Seconds after which the page reloads itself (the WhatsApp page while not connected). */
  readonly refresh?: number;
}

export type NavKey = 'inbox' | 'clients' | 'consultations' | 'insights' | 'content' | 'whatsapp' | 'staff';

const NAV: readonly { key: NavKey; href: string; label: string }[] = [
  { key: 'inbox', href: '/admin', label: 'Inbox' },
  { key: 'clients', href: '/admin/clients', label: 'Clients' },
  { key: 'consultations', href: '/admin/consultations', label: 'Consultations' },
  { key: 'insights', href: '/admin/insights', label: 'Insights' },
  { key: 'content', href: '/admin/content', label: 'Content' },
  { key: 'whatsapp', href: '/admin/whatsapp', label: 'WhatsApp' },
  { key: 'staff', href: '/admin/staff', label: 'Staff' },
];

/** The whole page: head, top bar with the firm's name and the nav, the flash line and the body. */
export function layout(options: LayoutOptions, body: Html): string {
  const { session } = options;
  const nav = session
    ? html`<nav aria-label="Sections"><ul>${NAV.map((n) => html`<li><a href="${n.href}"${n.key === options.active ? html` aria-current="page"` : ''}>${n.label}${n.key === 'inbox' && session.inbox > 0 ? html` <span class="count${session.urgent > 0 ? ' count-urgent' : ''}" title="${session.urgent > 0 ? `${session.urgent} urgent` : 'waiting'}">${session.inbox}</span>` : ''}</a></li>`)}<li class="me">${postForm('/admin/logout', session.csrf, html`<span class="muted">${session.name}</span> <button class="link" type="submit">Sign out</button>`, 'signout')}</li></ul></nav>`
    : '';
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
${options.refresh ? html`<meta http-equiv="refresh" content="${options.refresh}">` : ''}
<title>${options.title} · ${options.firmName}</title>
<link rel="stylesheet" href="/admin/style.css?v=${STYLE_VERSION}">
</head>
<body>
<header class="top"><div class="wrap top-inner"><a class="brand" href="/admin">${options.firmName}</a>${nav}</div></header>
<main class="wrap">
${options.flash ? html`<p class="flash" role="status">${options.flash}</p>` : ''}
${body}
</main>
</body>
</html>`.value}\n`;
}

/** A POST form carrying the CSRF token. */
export function postForm(action: string, csrf: string, content: Html, className?: string): Html {
  return html`<form method="post" action="${action}"${className ? html` class="${className}"` : ''}><input type="hidden" name="_csrf" value="${csrf}">${content}</form>`;
}

/** A short status page (errors, "too many attempts"). */
export function messagePage(heading: string, message: string, back?: { href: string; label: string }): Html {
  return html`<section class="card narrow"><h1>${heading}</h1><p>${message}</p>${back ? html`<p><a class="button secondary" href="${back.href}">${back.label}</a></p>` : ''}</section>`;
}

const KIND_LABEL: Readonly<Record<HandoffKind, string>> = {
  urgent: 'URGENT',
  human: 'Wants a person',
  consultation: 'Consultation request',
  advice: 'Advice question',
};

/** The badge of a handoff kind; urgent is red and loud. */
export function kindBadge(kind: HandoffKind): Html {
  return html`<span class="badge kind-${kind}">${KIND_LABEL[kind]}</span>`;
}

/** The badge of a consultation status. */
export function statusBadge(status: ConsultationStatus): Html {
  return html`<span class="badge status-${status}">${status}</span>`;
}

export const LANGUAGE: Readonly<Record<string, string>> = { en: 'English', es: 'Spanish' };

/** "English"/"Spanish", or "Unknown" when the language was not detected. */
export function languageName(lang: string | null | undefined): string {
  return (lang && LANGUAGE[lang]) ?? 'Unknown';
}

/** A waiting time as people say it: "just now", "12 min", "3 h", "2 days". */
export function humanWait(minutes: number): string {
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day' : `${days} days`;
}

/** {@link formatTime}'s formatters, one per time zone. */
const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/** "Nov 30, 10:12 AM" in the firm's time zone. */
export function formatTime(iso: string, timezone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  let f = timeFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
    timeFormatters.set(timezone, f);
  }
  return f.format(at);
}

/** "Tuesday, December 1" for a YYYY-MM-DD day (a calendar date: no time zone involved). */
export function formatDay(day: string, style: 'long' | 'short' = 'long'): string {
  const [y, m, d] = day.split('-').map(Number);
  const options: Intl.DateTimeFormatOptions = style === 'long' ? { weekday: 'long', month: 'long', day: 'numeric' } : { weekday: 'short', month: 'short', day: 'numeric' };
  return new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** YYYY-MM-DD of `day` moved by `delta` days. */
export function shiftDay(day: string, delta: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + delta)).toISOString().slice(0, 10);
}

/** A percentage for people: "12%", "0.5%", "0%". */
export function percent(share: number): string {
  const p = share * 100;
  return `${p > 0 && p < 1 ? p.toFixed(1) : Math.round(p)}%`;
}

/** "1 message", "2 messages". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
