/**
 * A client's conversation as staff read it: client, Puente and staff lines, internal notes in another style, voice
 * notes played, photos shown, files to download (served only to a signed-in session), older lines folded so the
 * latest and the reply box are near.
 */
import type { AuditEntry, NoteRecord, TranscriptEntry } from '../../store';
import { formatTime, html, plural, whatsappText, type Html } from './views';

const AUTHOR = { client: 'Client', bot: 'Puente', staff: 'Staff' } as const;
/** Lines shown unfolded at the end of a long conversation. */
const RECENT = 12;
/** Puente's long explainers are folded to their first line: staff come for what the client wrote. */
const FOLD_AFTER = 280;

const TYPE_LABEL: Readonly<Record<string, string>> = { voice: 'Voice note', image: 'Photo', video: 'Video', document: 'File', sticker: 'Sticker', location: 'Location', contact: 'Contact card' };

type Line = { kind: 'message'; at: string; entry: TranscriptEntry } | { kind: 'note'; at: string; note: NoteRecord };

/** The conversation with notes interleaved by time; everything but the last lines folded under "Earlier". */
export function conversation(transcript: readonly TranscriptEntry[], notes: readonly NoteRecord[], lang: string, timezone: string): Html {
  const lines: Line[] = [
    ...transcript.map((entry) => ({ kind: 'message' as const, at: entry.at, entry })),
    ...notes.map((note) => ({ kind: 'note' as const, at: note.at, note })),
  ].sort((a, b) => a.at.localeCompare(b.at) || (a.kind === b.kind ? 0 : a.kind === 'message' ? -1 : 1));
  if (lines.length === 0) return html`<p class="muted">No messages (the client may have erased their data, or they were removed after the retention period).</p>`;
  const render = (l: Line) => (l.kind === 'note' ? noteBubble(l.note, timezone) : bubble(l.entry, lang, timezone));
  const cut = lines.length > RECENT + 3 ? lines.length - RECENT : 0;
  return html`${cut > 0 ? html`<details class="earlier"><summary>Show ${plural(cut, 'earlier line')}</summary><ol class="transcript">${lines.slice(0, cut).map(render)}</ol></details>` : ''}
<ol class="transcript" id="latest">${lines.slice(cut).map(render)}</ol>`;
}

function noteBubble(n: NoteRecord, timezone: string): Html {
  return html`<li class="bubble note"><span class="who">Internal note · ${n.author} · <time datetime="${n.at}">${formatTime(n.at, timezone)}</time> <span class="muted">(not sent to the client)</span></span><span class="text">${n.text}</span></li>`;
}

function bubble(t: TranscriptEntry, lang: string, timezone: string): Html {
  return html`<li class="bubble from-${t.author}"${t.author === 'client' ? html` lang="${lang}"` : ''}><span class="who">${AUTHOR[t.author]} · <time datetime="${t.at}">${formatTime(t.at, timezone)}</time></span>${media(t)}${bubbleText(t)}</li>`;
}

/** What the client sent besides words: played, shown or offered as a download; or said plainly when it was not kept. */
function media(t: TranscriptEntry): Html {
  const m = t.media;
  const label = TYPE_LABEL[t.type] ?? 'Attachment';
  if (!m) return t.type === 'text' ? html`` : html`<span class="media-missing">${label} (not kept: too large, a type Puente does not keep, or not downloaded)</span>`;
  const src = `/admin/media/${m.id}`;
  const size = m.size >= 1_048_576 ? `${(m.size / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(m.size / 1024))} KB`;
  if (m.mimeType.startsWith('audio/')) return html`<audio class="media-audio" controls preload="metadata" src="${src}" aria-label="${label} from the client"></audio><a class="media-file" href="${src}" download>Download ${label.toLowerCase()} (${size})</a>`;
  if (m.mimeType.startsWith('image/')) return html`<a href="${src}"><img class="media-image" src="${src}" alt="${label} the client sent"></a>`;
  if (m.mimeType.startsWith('video/')) return html`<video class="media-image" controls preload="metadata" src="${src}"></video>`;
  return html`<a class="media-file" href="${src}" download>📎 ${m.filename ?? label} (${size})</a>`;
}

function bubbleText(t: TranscriptEntry): Html {
  if (!t.text) return html``;
  if (t.author === 'client') return html`<span class="text">${t.text}</span>`;
  const cut = t.text.indexOf('\n');
  if (t.author !== 'bot' || t.text.length <= FOLD_AFTER || cut < 0) return html`<span class="text">${whatsappText(t.text)}</span>`;
  return html`<details><summary>${whatsappText(t.text.slice(0, cut))} <span class="more">Show all</span></summary><span class="text">${whatsappText(t.text.slice(cut + 1).replace(/^\n+/, ''))}</span></details>`;
}

const ACTION: Readonly<Record<string, string>> = {
  'handoff.claim': 'claimed the case', 'handoff.reply': 'replied to the client', 'handoff.resolve': 'resolved the case', 'note.add': 'added an internal note',
  'client.message': 'wrote to the client', 'consultation.schedule': 'set the consultation time', 'consultation.propose': 'proposed a time to the client',
  'consultation.confirm': 'confirmed the consultation', 'consultation.cancel': 'cancelled the consultation', 'consultation.complete': 'marked the consultation completed',
  'consultation.no-show': 'marked the consultation a no-show', 'staff.add': 'added a staff account', 'staff.remove': 'removed a staff account',
  'staff.password': 'changed a password', 'calendar.rotate': 'changed the calendar address', 'answer.mark-wrong': 'marked an answer wrong', 'answer.unmark': 'removed a wrong-answer mark',
};

/** Who did what, when: newest first. */
export function auditList(entries: readonly AuditEntry[], timezone: string): Html {
  if (entries.length === 0) return html`<p class="muted">No staff actions yet.</p>`;
  return html`<ol class="audit">${entries.map((e) => html`<li><time datetime="${e.at}">${formatTime(e.at, timezone)}</time> · <strong>${e.actor}</strong> ${ACTION[e.action] ?? e.action}${e.consultationId ? html` <span class="muted">#${e.consultationId}</span>` : ''}${e.detail ? html` <span class="muted">(${e.detail})</span>` : ''}</li>`)}</ol>`;
}
