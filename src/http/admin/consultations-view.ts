/**
 * Consultations for 14 days, grouped by day in the firm's time zone, with confirm / cancel / complete.
 */
import type { ConsultationView } from './desk';
import { formatDay, html, languageName, postForm, shiftDay, statusBadge, type Html } from './views';

/** How many days the page shows. */
export const CONSULTATION_DAYS = 14;

/** The consultations page for [from, from + 14 days). */
export function consultationsView(list: readonly ConsultationView[], from: string, today: string, csrf: string): Html {
  const to = shiftDay(from, CONSULTATION_DAYS - 1);
  const days = new Map<string, ConsultationView[]>();
  for (const c of [...list].sort((a, b) => a.day.localeCompare(b.day))) days.set(c.day, [...(days.get(c.day) ?? []), c]);
  const waiting = list.filter((c) => c.status === 'requested').length;
  return html`<h1>Consultations</h1>
<nav class="pager" aria-label="Dates">
<a class="button secondary" href="/admin/consultations?from=${shiftDay(from, -CONSULTATION_DAYS)}">← Earlier</a>
<span class="range">${formatDay(from, 'short')} – ${formatDay(to, 'short')}</span>
${from === today ? '' : html`<a class="button secondary" href="/admin/consultations">Today</a>`}
<a class="button secondary" href="/admin/consultations?from=${shiftDay(from, CONSULTATION_DAYS)}">Later →</a>
</nav>
${waiting > 0 ? html`<p class="notice">${waiting === 1 ? '1 request is' : `${waiting} requests are`} waiting for confirmation.</p>` : ''}
${days.size === 0
    ? html`<section class="card empty"><p><strong>No consultations in these two weeks.</strong></p><p>Requests made on WhatsApp appear here as soon as the client confirms them.</p></section>`
    : [...days.entries()].map(([day, items]) => html`<section class="day" aria-label="${formatDay(day)}"><h2>${formatDay(day)}${day === today ? html` <span class="muted">· today</span>` : ''}</h2>
<ul class="consultations">${items.map((c) => consultationCard(c, from, csrf))}</ul></section>`)}`;
}

function consultationCard(c: ConsultationView, from: string, csrf: string): Html {
  return html`<li class="card consultation status-${c.status}" id="c-${c.id}">
<div class="c-head"><strong class="c-when">${c.when ? timeOnly(c.when) : 'Time to agree'}</strong>${statusBadge(c.status)}<span class="muted">${c.mode === 'phone' ? 'Phone call' : 'At the office'} · #${c.id}</span></div>
<dl class="facts">
<div><dt>Client</dt><dd><strong>${c.name ?? 'Name not given'}</strong> · ${/^\+\d+$/.test(c.phone) ? html`<a href="tel:${c.phone}">${c.phone}</a>` : c.phone}</dd></div>
<div><dt>Language</dt><dd>${languageName(c.lang)}</dd></div>
${c.when ? '' : html`<div><dt>Preference</dt><dd lang="${c.lang}">${c.preference ?? 'none given'}</dd></div>`}
${c.topic ? html`<div><dt>Topic</dt><dd lang="${c.lang}">${c.topic}</dd></div>` : ''}
${c.note ? html`<div><dt>Note</dt><dd>${c.note}</dd></div>` : ''}
</dl>
${actions(c, from, csrf)}
</li>`;
}

/** "Tue, Dec 1, 10:20 AM" → "10:20 AM" (the day is the heading); anything else unchanged. */
function timeOnly(when: string): string {
  const m = /,\s*(\d{1,2}:\d{2}\s*[AP]M.*)$/i.exec(when);
  return m ? m[1] : when;
}

function actions(c: ConsultationView, from: string, csrf: string): Html {
  const hidden = html`<input type="hidden" name="from" value="${from}">`;
  const inLang = html`<span class="field-hint">${c.name ?? 'The client'} writes in ${languageName(c.lang)}.</span>`;
  const confirm = c.status === 'requested'
    ? postForm(`/admin/consultations/${c.id}/confirm`, csrf, html`${hidden}<button type="submit">Confirm</button><details><summary>Add a note…</summary><label for="confirm-${c.id}">Note for the client <span class="muted">(optional, sent with the confirmation)</span></label>${inLang}<textarea id="confirm-${c.id}" name="message" rows="2" maxlength="1000"></textarea></details>`, 'confirm')
    : '';
  const complete = c.status === 'confirmed'
    ? postForm(`/admin/consultations/${c.id}/complete`, csrf, html`${hidden}<button class="secondary" type="submit">Mark completed</button>`)
    : '';
  const cancel = c.status === 'requested' || c.status === 'confirmed'
    ? html`<details class="cancel"><summary>Cancel…</summary>${postForm(`/admin/consultations/${c.id}/cancel`, csrf, html`${hidden}<label for="cancel-${c.id}">Why is it cancelled? <span class="muted">(required)</span></label><span class="field-hint">Sent to the client on WhatsApp after a standard cancellation notice. ${c.name ?? 'The client'} writes in ${languageName(c.lang)}.</span><textarea id="cancel-${c.id}" name="message" rows="2" maxlength="1000" required></textarea><button class="danger" type="submit">Cancel consultation</button>`)}</details>`
    : '';
  if (!confirm && !complete && !cancel) return html``;
  return html`<div class="actions">${confirm}${complete}${cancel}</div>`;
}
