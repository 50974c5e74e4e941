/**
 * The inbox (open handoffs, urgent first, then the longest waiting) and one case: who, what they need, the
 * conversation with notes and media, the reply box always at hand, claim, notes, resolve, and the audit list.
 */
import type { CaseView, InboxItem } from '../../desk/handoffs';
import { auditList, conversation } from './transcript-view';
import { formatTime, html, humanWait, kindBadge, languageName, postForm, statusBadge, type Html } from './views';

/** The list of open handoffs. */
export function inboxView(items: readonly InboxItem[]): Html {
  if (items.length === 0) {
    return html`<h1>Inbox</h1><section class="card empty"><p><strong>No one is waiting.</strong></p><p>New requests for a person, urgent reports and consultation requests appear here. To find anyone else, open <a href="/admin/clients">Clients</a>.</p></section>`;
  }
  const urgent = items.filter((i) => i.kind === 'urgent').length;
  return html`<h1>Inbox <span class="muted">· ${items.length} waiting${urgent > 0 ? html`, <strong class="text-urgent">${urgent} urgent</strong>` : ''}</span></h1>
<ol class="queue">${items.map((item) => queueRow(item))}</ol>`;
}

function queueRow(item: InboxItem): Html {
  const latest = item.latest.at(-1);
  return html`<li class="queue-item kind-${item.kind}"><a href="/admin/handoffs/${item.id}">
<span class="q-kind">${kindBadge(item.kind)}</span>
<span class="q-who"><strong>${item.name ?? item.phone}</strong><span class="muted">${item.name ? item.phone : 'name not given'}</span></span>
<span class="q-summary" lang="${item.lang}">${item.detailsLine ? html`<span class="q-details">${item.detailsLine}</span>` : ''}${item.headline}${latest && latest !== item.headline ? html`<span class="latest">Latest: “${latest}”</span>` : ''}</span>
<span class="q-meta">${item.answered ? html`<span class="answered">${item.waitingMinutes < 1 ? 'Answered within a minute' : html`Answered after ${humanWait(item.waitingMinutes)}`}</span>` : html`<span class="wait" title="waiting since the request">${humanWait(item.waitingMinutes)}</span>`}<span class="muted">${languageName(item.lang)}</span>${item.claimedBy ? html`<span class="claimed">${item.claimedBy}</span>` : ''}</span>
</a></li>`;
}

/** One case: who, what, the conversation, and what staff can do. */
export function handoffView(item: CaseView, csrf: string, timezone: string, me: string): Html {
  const open = item.status === 'open';
  return html`<p class="crumbs"><a href="/admin">← Inbox</a> · <a href="/admin/clients/${encodeURIComponent(item.chat)}">Client history</a></p>
<section class="card head kind-${item.kind}">
<div class="head-top">${kindBadge(item.kind)}${open ? '' : html`<span class="badge status-resolved">resolved</span>`}<span class="muted">#${item.id}</span></div>
<h1>${item.name ?? item.phone}</h1>
<dl class="facts">
<div><dt>Phone</dt><dd>${/^\+\d+$/.test(item.phone) ? html`<a href="tel:${item.phone}">${item.phone}</a>` : item.phone}</dd></div>
<div><dt>Language</dt><dd>${languageName(item.lang)}</dd></div>
<div><dt>${item.answered ? 'Waited' : open ? 'Waiting' : 'Waited'}</dt><dd>${humanWait(item.waitingMinutes)} <span class="muted">(since ${formatTime(item.createdAt, timezone)}${item.repliedAt ? `; first reply ${formatTime(item.repliedAt, timezone)}` : ''})</span></dd></div>
<div><dt>Claimed by</dt><dd>${item.claimedBy ?? html`<span class="muted">nobody yet</span>`}</dd></div>
${item.consultation ? html`<div><dt>Consultation</dt><dd>${statusBadge(item.consultation.status)} ${item.consultation.mode === 'phone' ? 'Phone' : 'Office'}, ${item.consultation.when ?? `preference: “${item.consultation.preference ?? ''}”`} · <a href="/admin/consultations/${item.consultation.id}">set the time / open</a></dd></div>` : ''}
</dl>
${item.detailsLine ? html`<p class="summary"><strong>Details the client sent:</strong> ${item.detailsLine}</p>` : ''}
<p class="summary" lang="${item.lang}">${item.headline}</p>
${open ? actions(item, csrf, me) : ''}
</section>
<section aria-labelledby="transcript-h"><h2 id="transcript-h">Conversation</h2>
${conversation(item.transcript, item.notes, item.lang, timezone)}
</section>
${open ? composer(item, csrf) : html`<p class="muted">This conversation is resolved: Puente answers this client again. To write to them, open their <a href="/admin/clients/${encodeURIComponent(item.chat)}">client page</a>.</p>`}
<section class="card" aria-labelledby="note-h"><h2 id="note-h">Internal note</h2>
${postForm(`/admin/handoffs/${item.id}/notes`, csrf, html`<label for="note-text">Note for colleagues <span class="muted">(never sent to the client)</span></label><textarea id="note-text" name="text" rows="2" maxlength="4000" required></textarea><button class="secondary" type="submit">Save note</button>`, 'notes-form')}
</section>
<section class="card" aria-labelledby="audit-h"><h2 id="audit-h">Who did what</h2>${auditList(item.audit, timezone)}</section>`;
}

function actions(item: InboxItem, csrf: string, me: string): Html {
  const mine = item.claimedBy === me;
  return html`<div class="actions">
${mine ? '' : postForm(`/admin/handoffs/${item.id}/claim`, csrf, html`<button class="secondary" type="submit">${item.claimedBy ? `Take over from ${item.claimedBy}` : 'Claim'}</button>`, 'claim')}
<details class="confirm-resolve"><summary class="resolve">Mark resolved…</summary>
<p class="hint">Puente will answer this client again.${item.kind === 'urgent' ? html` <strong>Resolve an emergency only once someone has taken care of it.</strong>` : ''}</p>
${postForm(`/admin/handoffs/${item.id}/resolve`, csrf, html`<button class="resolve" type="submit">Yes, mark resolved</button>`)}
</details>
</div>
<p class="hint">While this is open, Puente stays quiet once staff write in this chat. Replying claims the case for you. <strong>Mark resolved</strong> when you are done.</p>`;
}

/** The reply box: it stays at the bottom of the screen while the conversation scrolls. */
function composer(item: InboxItem, csrf: string): Html {
  return html`<div class="composer" aria-labelledby="reply-h"><h2 id="reply-h" class="sr-only">Reply on WhatsApp</h2>
${postForm(`/admin/handoffs/${item.id}/reply`, csrf, html`<div class="grow"><label for="reply-text">Reply to ${item.name ?? 'the client'} on WhatsApp <span class="muted">(they write in ${languageName(item.lang)})</span></label>
<textarea id="reply-text" name="text" rows="2" maxlength="4000" required></textarea></div>
<button type="submit">Send</button>`)}
</div>`;
}
