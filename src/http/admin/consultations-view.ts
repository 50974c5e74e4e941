/**
 * Consultations for 14 days, grouped by day in the firm's time zone, with confirm / cancel / complete / no-show; one
 * consultation with the free times to give it (or any date and time), proposing a time to the client; and the firm's
 * calendar: the subscription address, rotating it, the CSV export.
 */
import { canBecome, isActive } from '../../booking/status';
import type { ConsultationView } from '../../desk';
import type { FreeSlot } from '../../desk/consultations';
import { auditList } from './transcript-view';
import { formatDay, html, languageName, postForm, shiftDay, statusBadge, type Html } from './views';
import type { AuditEntry } from '../../store';

/** How many days the page shows. */
export const CONSULTATION_DAYS = 14;

/** The consultations page for [from, from + 14 days). */
export function consultationsView(list: readonly ConsultationView[], from: string, today: string, csrf: string, now: Date, feedUrl: string): Html {
  const to = shiftDay(from, CONSULTATION_DAYS - 1);
  const days = new Map<string, ConsultationView[]>();
  for (const c of [...list].sort((a, b) => a.day.localeCompare(b.day))) days.set(c.day, [...(days.get(c.day) ?? []), c]);
  const waiting = list.filter((c) => c.status === 'requested').length;
  const noTime = list.filter((c) => c.status === 'requested' && !c.slot).length;
  return html`<h1>Consultations</h1>
<nav class="pager" aria-label="Dates">
<a class="button secondary" href="/admin/consultations?from=${shiftDay(from, -CONSULTATION_DAYS)}">← Earlier</a>
<span class="range">${formatDay(from, 'short')} – ${formatDay(to, 'short')}</span>
${from === today ? '' : html`<a class="button secondary" href="/admin/consultations">Today</a>`}
<a class="button secondary" href="/admin/consultations?from=${shiftDay(from, CONSULTATION_DAYS)}">Later →</a>
</nav>
${waiting > 0 ? html`<p class="notice">${waiting === 1 ? '1 request is' : `${waiting} requests are`} waiting for confirmation${noTime > 0 ? html`; <strong>${noTime} ${noTime === 1 ? 'has' : 'have'} no time yet</strong> (the client asked for another time): give ${noTime === 1 ? 'it' : 'them'} a time first` : ''}.</p>` : ''}
${days.size === 0
    ? html`<section class="card empty"><p><strong>No consultations in these two weeks.</strong></p><p>Requests made on WhatsApp appear here as soon as the client confirms them.</p></section>`
    : [...days.entries()].map(([day, items]) => html`<section class="day" aria-label="${formatDay(day)}"><h2>${formatDay(day)}${day === today ? html` <span class="muted">· today</span>` : ''}</h2>
<ul class="consultations">${items.map((c) => consultationCard(c, from, csrf, now))}</ul></section>`)}
${calendarCard(feedUrl, csrf, today)}`;
}

function consultationCard(c: ConsultationView, from: string, csrf: string, now: Date): Html {
  return html`<li class="card consultation status-${c.status}" id="c-${c.id}">
<div class="c-head"><strong class="c-when">${c.when ? timeOnly(c.when) : 'No time yet'}</strong>${statusBadge(c.status)}<span class="muted">${c.mode === 'phone' ? 'Phone call' : 'At the office'} · <a href="/admin/consultations/${c.id}">#${c.id}</a></span></div>
<dl class="facts">
<div><dt>Client</dt><dd><strong><a href="/admin/clients/${encodeURIComponent(c.chat)}">${c.name ?? 'Name not given'}</a></strong> · ${/^\+\d+$/.test(c.phone) ? html`<a href="tel:${c.phone}">${c.phone}</a>` : c.phone}</dd></div>
<div><dt>Language</dt><dd>${languageName(c.lang)}</dd></div>
${c.preference ? html`<div><dt>Client asked for</dt><dd lang="${c.lang}">${c.preference}</dd></div>` : ''}
${c.topic ? html`<div><dt>Topic</dt><dd lang="${c.lang}">${c.topic}</dd></div>` : ''}
${c.note ? html`<div><dt>Note</dt><dd>${c.note}</dd></div>` : ''}
</dl>
${actions(c, from, csrf, now)}
</li>`;
}

/** "Tue, Dec 1, 10:20 AM" → "10:20 AM" (the day is the heading); anything else unchanged. */
function timeOnly(when: string): string {
  const m = /,\s*(\d{1,2}:\d{2}\s*[AP]M.*)$/i.exec(when);
  return m ? m[1] : when;
}

function actions(c: ConsultationView, from: string, csrf: string, now: Date): Html {
  const hidden = html`<input type="hidden" name="from" value="${from}">`;
  const inLang = html`<span class="field-hint">${c.name ?? 'The client'} writes in ${languageName(c.lang)}.</span>`;
  const setTime = isActive(c.status) ? html`<a class="button${c.slot ? ' secondary' : ''}" href="/admin/consultations/${c.id}">${c.slot ? (c.status === 'confirmed' ? 'Reschedule…' : 'Change time…') : 'Set a time…'}</a>` : '';
  const confirm = canBecome(c.status, 'confirmed') && c.slot
    ? postForm(`/admin/consultations/${c.id}/confirm`, csrf, html`${hidden}<button type="submit">Confirm</button><details><summary>Add a note…</summary><label for="confirm-${c.id}">Note for the client <span class="muted">(optional, sent with the confirmation)</span></label>${inLang}<textarea id="confirm-${c.id}" name="message" rows="2" maxlength="1000"></textarea></details>`, 'confirm')
    : '';
  // No-show also needs the time to have started (checked by the desk too; not a status rule).
  const started = c.slot !== undefined && Date.parse(c.slot.start) <= now.getTime();
  const complete = canBecome(c.status, 'completed') ? postForm(`/admin/consultations/${c.id}/complete`, csrf, html`${hidden}<button class="secondary" type="submit">Mark completed</button>`) : '';
  const noShow = canBecome(c.status, 'no-show') && started ? postForm(`/admin/consultations/${c.id}/no-show`, csrf, html`${hidden}<button class="secondary" type="submit">Mark no-show</button>`) : '';
  const cancel = canBecome(c.status, 'cancelled')
    ? html`<details class="cancel"><summary>Cancel…</summary>${postForm(`/admin/consultations/${c.id}/cancel`, csrf, html`${hidden}<label for="cancel-${c.id}">Why is it cancelled? <span class="muted">(required)</span></label><span class="field-hint">Sent to the client on WhatsApp after a standard cancellation notice. ${c.name ?? 'The client'} writes in ${languageName(c.lang)}.</span><textarea id="cancel-${c.id}" name="message" rows="2" maxlength="1000" required></textarea><button class="danger" type="submit">Cancel consultation</button>`)}</details>`
    : '';
  if (!setTime && !confirm && !complete && !cancel) return html``;
  return html`<div class="actions">${confirm}${setTime}${complete}${noShow}${cancel}</div>`;
}

function calendarCard(feedUrl: string, csrf: string, today: string): Html {
  return html`<section class="card" aria-labelledby="cal-h" id="calendar"><h2 id="cal-h">The firm’s calendar</h2>
<p>Subscribe to requested and confirmed consultations in Google Calendar (<em>Other calendars → From URL</em>) or Outlook (<em>Add calendar → Subscribe from web</em>) with this private address. Anyone who has it can read the consultations: share it only with staff.</p>
<p class="feed"><code>${feedUrl}</code></p>
<div class="buttons"><a class="button secondary" href="/admin/calendar.ics" download="consultations.ics">Download .ics</a>
<details class="cancel"><summary>Change the address…</summary><p class="hint">The old address stops working at once; subscribed calendars must use the new one.</p>${postForm('/admin/calendar/rotate', csrf, html`<button class="danger" type="submit">Change the calendar address</button>`)}</details></div>
<h3>Export to a spreadsheet</h3>
<form class="row" method="get" action="/admin/consultations.csv"><div><label for="csv-from">From</label><input id="csv-from" name="from" type="date" value="${today}" required></div><div><label for="csv-to">To</label><input id="csv-to" name="to" type="date" value="${shiftDay(today, 30)}" required></div><div><button class="secondary" type="submit">Download CSV</button></div></form>
</section>`;
}

/** One consultation: the free times to give it, any date and time, and its audit list. */
export function scheduleView(c: ConsultationView, slots: readonly FreeSlot[], csrf: string, audit: readonly AuditEntry[], timezone: string, chosenDay?: string): Html {
  const active = isActive(c.status);
  return html`<p class="crumbs"><a href="/admin/consultations?from=${c.day}#c-${c.id}">← Consultations</a> · <a href="/admin/clients/${encodeURIComponent(c.chat)}">Client history</a></p>
<section class="card consultation status-${c.status}">
<div class="c-head"><strong class="c-when">${c.when ?? 'No time yet'}</strong>${statusBadge(c.status)}<span class="muted">${c.mode === 'phone' ? 'Phone call' : 'At the office'} · #${c.id}</span></div>
<h1>${c.name ?? 'Name not given'}</h1>
<dl class="facts">
<div><dt>Phone</dt><dd>${c.phone}</dd></div>
<div><dt>Language</dt><dd>${languageName(c.lang)}</dd></div>
${c.preference ? html`<div><dt>Client asked for</dt><dd lang="${c.lang}"><strong>${c.preference}</strong></dd></div>` : ''}
${c.topic ? html`<div><dt>Topic</dt><dd lang="${c.lang}">${c.topic}</dd></div>` : ''}
</dl>
${canBecome(c.status, 'confirmed') && c.slot ? postForm(`/admin/consultations/${c.id}/confirm`, csrf, html`<button type="submit">Confirm ${c.when ?? ''}</button>`) : ''}
</section>
${active ? html`<section class="card" aria-labelledby="times-h"><h2 id="times-h">${c.slot ? 'Choose another time' : 'Give this request a time'}</h2>
${c.preference ? html`<p>The client asked for <strong lang="${c.lang}">${c.preference}</strong>. Below: free times inside office hours; for anything else, write the date and time you agree with them.</p>` : ''}
<form class="row" method="get" action="/admin/consultations/${c.id}"><div><label for="day">Free times on a day</label><input id="day" name="day" type="date" value="${chosenDay ?? ''}"></div><div><button class="secondary" type="submit">Show that day</button></div></form>
${postForm(`/admin/consultations/${c.id}/schedule`, csrf, html`
<fieldset class="slots"><legend class="sr-only">Free times</legend>${slots.length === 0 ? html`<p class="muted">No free time ${chosenDay ? 'that day' : 'in the next three weeks'} inside office hours. Write a date and time below.</p>` : slots.map((s) => html`<label><input type="radio" name="start" value="${s.start}"> ${s.label}</label>`)}</fieldset>
<details${slots.length === 0 || (c.preference && !c.slot) ? html` open` : ''}><summary>Another date and time…</summary><p class="hint">Any time you agreed with the client, also outside office hours (${timezone}). A time another client holds is refused.</p>
<div class="row"><div><label for="date">Date</label><input id="date" name="date" type="date"></div><div><label for="time">Time</label><input id="time" name="time" type="time" step="60"></div></div></details>
<div class="buttons">${c.status === 'requested'
    ? html`<button type="submit" name="then" value="propose">Propose this time to the client</button><button class="secondary" type="submit" name="then" value="set">Only set the time</button>`
    : html`<button type="submit" name="then" value="set">Move to this time (the client is told)</button>`}</div>
<p class="hint">${c.status === 'requested' ? 'Proposing sends the time to the client in their language, as a message from you; confirm once they agree.' : 'The client gets the new time in their language.'}</p>`)}
</section>` : ''}
<section class="card" aria-labelledby="audit-h"><h2 id="audit-h">Who did what</h2>${auditList(audit, timezone)}</section>`;
}
