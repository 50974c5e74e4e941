/**
 * Clients: the list with search (name, number, what they wrote), and one client's whole history — cases and
 * consultations with their status, the conversation with notes and media, writing to them (or why WhatsApp does not
 * allow it now), notes, and who did what.
 */
import type { ClientHistory, ClientItem } from '../../desk/clients';
import { auditList, conversation } from './transcript-view';
import { formatTime, html, kindBadge, languageName, postForm, statusBadge, type Html } from './views';

const RESOLUTION: Readonly<Record<string, string>> = {
  staff: 'resolved by staff', 'staff-resumed-bot': 'handed back to Puente', 'client-withdrew': 'withdrawn by the client', 'client-erased': 'erased',
  'consultation-closed': 'closed with the consultation', idle: 'closed after no activity',
};

export function clientsView(list: readonly ClientItem[], q: string | undefined, timezone: string): Html {
  return html`<h1>Clients</h1>
<form class="search" method="get" action="/admin/clients" role="search"><label class="sr-only" for="q">Search clients</label>
<input id="q" name="q" type="search" value="${q ?? ''}" maxlength="100" placeholder="Name, phone number or words they wrote" autocomplete="off"><button type="submit">Search</button></form>
${list.length === 0
    ? html`<section class="card empty"><p><strong>${q ? `No client matches “${q}”.` : 'No clients yet.'}</strong></p>${q ? html`<p>Try part of the number (the last four digits) or another word. <a href="/admin/clients">Show everyone</a></p>` : ''}</section>`
    : html`<p class="muted">${q ? `${list.length} found for “${q}”` : 'Most recently seen first'}</p><ul class="client-list">${list.map((c) => html`<li><a href="/admin/clients/${encodeURIComponent(c.chat)}">
<span><strong>${c.name ?? c.phone}</strong> <span class="muted">${c.name ? c.phone : 'name not given'} · ${languageName(c.lang)}</span></span>
<span>${c.openHandoff ? kindBadge(c.openHandoff) : html`<span class="muted">last seen ${formatTime(c.lastSeenAt, timezone)}</span>`}</span>
${c.match ? html`<span class="match" lang="${c.lang}">“${c.match}”</span>` : ''}
</a></li>`)}</ul>`}`;
}

export function clientView(h: ClientHistory, csrf: string, timezone: string): Html {
  const c = h.client;
  const open = h.handoffs.find((x) => x.status === 'open');
  return html`<p class="crumbs"><a href="/admin/clients">← Clients</a>${open ? html` · <a href="/admin/handoffs/${open.id}">Open case</a>` : ''}</p>
<section class="card">
<h1>${c.name ?? c.phone}</h1>
<dl class="facts">
<div><dt>Phone</dt><dd>${/^\+\d+$/.test(c.phone) ? html`<a href="tel:${c.phone}">${c.phone}</a>` : c.phone}</dd></div>
<div><dt>Language</dt><dd>${languageName(c.lang)}</dd></div>
<div><dt>First contact</dt><dd>${formatTime(c.createdAt, timezone)}</dd></div>
<div><dt>Last message from them</dt><dd>${c.lastInboundAt ? formatTime(c.lastInboundAt, timezone) : html`<span class="muted">never</span>`}</dd></div>
</dl>
</section>
<section class="card" aria-labelledby="cases-h"><h2 id="cases-h">Cases</h2>
${h.handoffs.length === 0 ? html`<p class="muted">No cases.</p>` : html`<ul class="history">${h.handoffs.map((x) => html`<li>${kindBadge(x.kind)} ${x.status === 'open' ? html`<span class="badge status-requested">open</span>` : html`<span class="badge status-resolved">${RESOLUTION[x.resolution ?? ''] ?? 'resolved'}</span>`} <a href="/admin/handoffs/${x.id}">#${x.id}</a> <span class="muted">${formatTime(x.createdAt, timezone)}${x.claimedBy ? ` · ${x.claimedBy}` : ''}</span> <span lang="${x.lang}">${x.summary}</span></li>`)}</ul>`}
</section>
<section class="card" aria-labelledby="consultations-h"><h2 id="consultations-h">Consultations</h2>
${h.consultations.length === 0 ? html`<p class="muted">No consultations.</p>` : html`<ul class="history">${h.consultations.map((x) => html`<li>${statusBadge(x.status)} <a href="/admin/consultations/${x.id}">#${x.id}</a> ${x.mode === 'phone' ? 'Phone' : 'Office'}, ${x.when ?? `preference “${x.preference ?? ''}”`}${x.topic ? html` <span class="muted" lang="${x.lang}">· ${x.topic}</span>` : ''}</li>`)}</ul>`}
</section>
<section aria-labelledby="conv-h"><h2 id="conv-h">Conversation</h2>
${conversation(h.transcript, h.notes, c.lang, timezone)}
</section>
<div class="composer" aria-labelledby="write-h"><h2 id="write-h" class="sr-only">Write on WhatsApp</h2>
${h.write.open
    ? postForm(`/admin/clients/${encodeURIComponent(c.chat)}/messages`, csrf, html`<div class="grow"><label for="write-text">Write to ${c.name ?? 'the client'} on WhatsApp <span class="muted">(${languageName(c.lang)}${h.write.closesAt ? `; WhatsApp allows it until ${formatTime(h.write.closesAt, timezone)}` : ''}; Puente steps back in this chat)</span></label>
<textarea id="write-text" name="text" rows="2" maxlength="4000" required></textarea></div><button type="submit">Send</button>`)
    : html`<p class="closed" role="note"><strong>You cannot write to this client on WhatsApp now.</strong> ${h.write.reason ?? ''}</p>`}
</div>
<section class="card" aria-labelledby="note-h"><h2 id="note-h">Internal note</h2>
${postForm(`/admin/clients/${encodeURIComponent(c.chat)}/notes`, csrf, html`<label for="note-text">Note for colleagues <span class="muted">(never sent to the client)</span></label><textarea id="note-text" name="text" rows="2" maxlength="4000" required></textarea><button class="secondary" type="submit">Save note</button>`, 'notes-form')}
</section>
<section class="card" aria-labelledby="audit-h"><h2 id="audit-h">Who did what</h2>${auditList(h.audit, timezone)}</section>`;
}
