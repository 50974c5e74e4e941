/**
 * The inbox (open handoffs, urgent first, then the longest waiting) and one handoff with its transcript, reply box,
 * claim and resolve.
 */
import type { InboxItem } from './desk';
import type { TranscriptEntry } from '../../store';
import { formatTime, html, humanWait, kindBadge, languageName, postForm, statusBadge, whatsappText, type Html } from './views';

const AUTHOR = { client: 'Client', bot: 'Puente', staff: 'Staff' } as const;

/** The list of open handoffs. */
export function inboxView(items: readonly InboxItem[]): Html {
  if (items.length === 0) {
    return html`<h1>Inbox</h1><section class="card empty"><p><strong>No one is waiting.</strong></p><p>New requests for a person, urgent reports and consultation requests appear here.</p></section>`;
  }
  const urgent = items.filter((i) => i.kind === 'urgent').length;
  return html`<h1>Inbox <span class="muted">· ${items.length} waiting${urgent > 0 ? html`, <strong class="text-urgent">${urgent} urgent</strong>` : ''}</span></h1>
<ol class="queue">${items.map((item) => queueRow(item))}</ol>`;
}

function queueRow(item: InboxItem): Html {
  return html`<li class="queue-item kind-${item.kind}"><a href="/admin/handoffs/${item.id}">
<span class="q-kind">${kindBadge(item.kind)}</span>
<span class="q-who"><strong>${item.name ?? item.phone}</strong><span class="muted">${item.name ? item.phone : 'name not given'}</span></span>
<span class="q-summary" lang="${item.lang}">${item.summary}</span>
<span class="q-meta"><span class="wait" title="waiting since the request">${humanWait(item.waitingMinutes)}</span><span class="muted">${languageName(item.lang)}</span>${item.claimedBy ? html`<span class="claimed">${item.claimedBy}</span>` : ''}</span>
</a></li>`;
}

/** One handoff: who, what, the conversation, and what staff can do. */
export function handoffView(item: InboxItem & { transcript: TranscriptEntry[] }, csrf: string, timezone: string): Html {
  const open = item.status === 'open';
  return html`<p class="crumbs"><a href="/admin">← Inbox</a></p>
<section class="card head kind-${item.kind}">
<div class="head-top">${kindBadge(item.kind)}${open ? '' : html`<span class="badge status-resolved">resolved</span>`}<span class="muted">#${item.id}</span></div>
<h1>${item.name ?? item.phone}</h1>
<dl class="facts">
<div><dt>Phone</dt><dd>${/^\+\d+$/.test(item.phone) ? html`<a href="tel:${item.phone}">${item.phone}</a>` : item.phone}</dd></div>
<div><dt>Language</dt><dd>${languageName(item.lang)}</dd></div>
<div><dt>${open ? 'Waiting' : 'Waited'}</dt><dd>${humanWait(item.waitingMinutes)} <span class="muted">(since ${formatTime(item.createdAt, timezone)})</span></dd></div>
<div><dt>Claimed by</dt><dd>${item.claimedBy ?? html`<span class="muted">nobody yet</span>`}</dd></div>
${item.consultation ? html`<div><dt>Consultation</dt><dd>${statusBadge(item.consultation.status)} ${item.consultation.mode === 'phone' ? 'Phone' : 'Office'}, ${item.consultation.when ?? `preference: “${item.consultation.preference ?? ''}”`} · <a href="/admin/consultations?from=${item.consultation.day}#c-${item.consultation.id}">open in Consultations</a></dd></div>` : ''}
</dl>
<p class="summary" lang="${item.lang}">${item.summary}</p>
${open ? actions(item, csrf) : ''}
</section>
<section aria-labelledby="transcript-h"><h2 id="transcript-h">Conversation</h2>
${item.transcript.length === 0 ? html`<p class="muted">No messages (the client may have erased their data).</p>` : html`<ol class="transcript">${item.transcript.map((t) => bubble(t, item.lang, timezone))}</ol>`}
</section>
${open ? replyForm(item, csrf) : html`<p class="muted">This conversation is resolved: Puente answers this client again.</p>`}`;
}

function actions(item: InboxItem, csrf: string): Html {
  return html`<div class="actions">
${postForm(`/admin/handoffs/${item.id}/claim`, csrf, html`<label class="inline"><span class="sr-only">Your name</span><input name="staff" maxlength="80" placeholder="Your name" autocomplete="name"></label><button class="secondary" type="submit">${item.claimedBy ? 'Claim instead' : 'Claim'}</button>`, 'claim')}
<details class="confirm-resolve"><summary class="resolve">Mark resolved…</summary>
<p class="hint">Puente will answer this client again.${item.kind === 'urgent' ? html` <strong>Resolve an emergency only once someone has taken care of it.</strong>` : ''}</p>
${postForm(`/admin/handoffs/${item.id}/resolve`, csrf, html`<button class="resolve" type="submit">Yes, mark resolved</button>`)}
</details>
</div>
<p class="hint">While this is open, Puente stays quiet in this chat. <strong>Mark resolved</strong> when you are done: Puente answers this client again.</p>`;
}

/** Puente's long explainers are folded to their first line: staff come for what the client wrote. */
const FOLD_AFTER = 280;

function bubble(t: TranscriptEntry, lang: string, timezone: string): Html {
  return html`<li class="bubble from-${t.author}"${t.author === 'client' ? html` lang="${lang}"` : ''}><span class="who">${AUTHOR[t.author]} · <time datetime="${t.at}">${formatTime(t.at, timezone)}</time></span>${bubbleText(t)}</li>`;
}

function bubbleText(t: TranscriptEntry): Html {
  if (t.author === 'client') return html`<span class="text">${t.text}</span>`;
  const cut = t.text.indexOf('\n');
  if (t.author !== 'bot' || t.text.length <= FOLD_AFTER || cut < 0) return html`<span class="text">${whatsappText(t.text)}</span>`;
  return html`<details><summary>${whatsappText(t.text.slice(0, cut))} <span class="more">Show all</span></summary><span class="text">${whatsappText(t.text.slice(cut + 1).replace(/^\n+/, ''))}</span></details>`;
}

function replyForm(item: InboxItem, csrf: string): Html {
  return html`<section class="card reply" aria-labelledby="reply-h"><h2 id="reply-h">Reply on WhatsApp</h2>
${postForm(`/admin/handoffs/${item.id}/reply`, csrf, html`<label for="reply-text">Message to ${item.name ?? 'the client'} <span class="muted">(they write in ${languageName(item.lang)})</span></label>
<textarea id="reply-text" name="text" rows="4" maxlength="4000" required></textarea>
<button type="submit">Send</button>`)}
</section>`;
}
