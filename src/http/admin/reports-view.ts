/**
 * Insights (messages per day, intents, fallback rate, what Puente did not understand) and content health.
 */
import { LANGS, type Lang } from '../../nlu/types';
import type { ContentItem, Insights } from '../../desk/insights';
import { postForm } from './views';
import { formatDay, html, languageName, percent, plural, shiftDay, type Html } from './views';

/** The periods offered on the insights page. */
export const INSIGHT_PERIODS = [7, 30, 90] as const;

/** The insights page; `today` is the firm's date (YYYY-MM-DD). */
export function insightsView(insights: Insights, today: string, csrf?: string): Html {
  const { days } = insights;
  const fallback = insights.perDay.reduce((n, d) => n + d.fallback, 0);
  return html`<h1>Insights</h1>
<nav class="pager" aria-label="Period">${INSIGHT_PERIODS.map((p) => html`<a class="button secondary" href="/admin/insights?days=${p}"${p === days ? html` aria-current="page"` : ''}>${p} days</a>`)}</nav>
<section class="tiles">
<div class="tile"><span class="tile-n">${insights.total}</span><span class="tile-l">client messages, last ${days} days</span></div>
<div class="tile"><span class="tile-n">${percent(insights.fallbackRate)}</span><span class="tile-l">not understood (${plural(fallback, 'message')})</span></div>
<div class="tile"><span class="tile-n">${insights.unrecognised.length}</span><span class="tile-l">different messages to teach</span></div>
</section>
<section class="card"><h2>Messages per day</h2>${chart(insights, today)}</section>
<section class="card"><h2>Not understood</h2>
<p>Messages Puente answered with “I did not understand”, most frequent first. Teach Puente by adding them to the right file in <code>intents/</code>.</p>
<p><a class="button secondary" href="/admin/insights.yaml?days=${days}" download="training-${today}.yaml">Download as YAML for intents/</a> <span class="muted">(with the answers marked wrong)</span></p>
${insights.unrecognised.length === 0
    ? html`<p class="muted">Nothing in this period. 🎉</p>`
    : html`<table><thead><tr><th>Message</th><th>Language</th><th class="num">Times</th></tr></thead><tbody>${insights.unrecognised.map((u) => html`<tr><td data-label="Message"${u.lang ? html` lang="${u.lang}"` : ''}>${u.text}</td><td data-label="Language">${languageName(u.lang)}</td><td data-label="Times" class="num">${u.count}</td></tr>`)}</tbody></table>`}
</section>
<section class="card"><h2>What clients asked about</h2>
${insights.intents.length === 0
    ? html`<p class="muted">No messages in this period.</p>`
    : html`<table><thead><tr><th>Topic</th><th class="num">Messages</th><th class="num">Share</th></tr></thead><tbody>${insights.intents.map((i) => html`<tr><td data-label="Topic">${i.title} <code class="file">${breakable(i.intent)}</code></td><td data-label="Messages" class="num">${i.count}</td><td data-label="Share" class="num">${percent(insights.total === 0 ? 0 : i.count / insights.total)}</td></tr>`)}</tbody></table>`}
</section>
<section class="card"><h2>Conversations by language</h2>
${insights.languages.length === 0 ? html`<p class="muted">No conversations in this period.</p>` : html`<p>${insights.languages.map((l, i) => html`${i > 0 ? ' · ' : ''}<strong>${languageName(l.lang)}</strong> ${plural(l.count, 'conversation')}`)}</p><p class="hint">The language Puente kept for each conversation (a short message such as “ayudaaa” does not change it).</p>`}
</section>
<section class="card" id="answers"><h2>Answers to check</h2>
<p>Messages Puente answered with confidence, newest first. If an answer was wrong, mark it: it joins the YAML export above so the right intent can be taught.</p>
${insights.answers.length === 0 ? html`<p class="muted">No confident answers in this period.</p>` : html`<table class="stack"><thead><tr><th>Client wrote</th><th>Puente answered</th><th class="num">Confidence</th><th></th></tr></thead><tbody>${insights.answers.map((a) => html`<tr><td data-label="Client wrote" lang="${a.lang}">${a.text}</td><td data-label="Topic">${a.title}</td><td data-label="Confidence" class="num">${percent(a.confidence)}</td><td data-label="Check">${csrf ? (a.markedBy
    ? postForm(`/admin/answers/${a.messageId}/unmark`, csrf, html`<input type="hidden" name="days" value="${days}"><span class="marked">Marked wrong by ${a.markedBy}</span> <button class="link" type="submit">Undo</button>`)
    : postForm(`/admin/answers/${a.messageId}/wrong`, csrf, html`<input type="hidden" name="days" value="${days}"><button class="secondary" type="submit">Wrong answer</button>`)) : ''}</td></tr>`)}</tbody></table>`}
</section>`;
}

/** An identifier that may wrap after `_` and `:` on a narrow screen ("consultation_<wbr>book"). */
function breakable(id: string): Html {
  return html`${id.split(/(?<=[_:])/).map((part, i) => html`${i > 0 ? html`<wbr>` : ''}${part}`)}`;
}

/** A CSS bar chart, one column per day (no script, no inline style: heights are classes `h0`…`h100`). */
function chart(insights: Insights, today: string): Html {
  const byDay = new Map(insights.perDay.map((d) => [d.day, d]));
  const days = new Set<string>();
  for (let i = insights.days - 1; i >= 0; i--) days.add(shiftDay(today, -i));
  for (const d of insights.perDay) days.add(d.day);
  const series = [...days].sort().map((day) => byDay.get(day) ?? { day, messages: 0, fallback: 0 });
  const max = Math.max(1, ...series.map((d) => d.messages));
  const h = (n: number) => `h${Math.round((n / max) * 100)}`;
  const label = (d: { day: string; messages: number; fallback: number }) => `${formatDay(d.day, 'short')}: ${plural(d.messages, 'message')}, ${d.fallback} not understood`;
  return html`<div class="chart" role="img" aria-label="Messages per day, busiest day ${max}">
<div class="chart-max muted">${max}</div>
<div class="bars">${series.map((d) => html`<div class="col" title="${label(d)}"><span class="bar bar-none ${h(d.fallback)}"></span><span class="bar bar-ok ${h(d.messages - d.fallback)}"></span></div>`)}</div>
<div class="axis muted"><span>${formatDay(series[0].day, 'short')}</span><span>${formatDay(series[series.length - 1].day, 'short')}</span></div>
</div>
<p class="legend"><span class="key key-ok"></span> understood <span class="key key-none"></span> not understood</p>
<details><summary>Numbers by day</summary><table><thead><tr><th>Day</th><th class="num">Messages</th><th class="num">Not understood</th></tr></thead><tbody>${series.filter((d) => d.messages > 0).reverse().map((d) => html`<tr><td data-label="Day">${formatDay(d.day, 'short')}</td><td data-label="Messages" class="num">${d.messages}</td><td data-label="Not understood" class="num">${d.fallback}</td></tr>`)}</tbody></table></details>`;
}

/** Every explainer, both languages side by side: review date, sources, length; what needs an attorney first. */
export function contentView(items: readonly ContentItem[]): Html {
  const toReview = items.filter((i) => i.needsReview).length;
  const cell = (intent: string, lang: Lang, row: ContentItem['en']) => {
    if (!row) return html`<td data-label="${languageName(lang)}" class="problem-missing">Missing: no translation<br><code class="file">responses/${lang}/${intent}.md</code></td>`;
    return html`<td data-label="${languageName(lang)}" class="${row.stale ? (row.reviewed ? 'problem-stale' : 'problem-no-date') : 'problem-none'} sources">
${row.reviewed ? html`Reviewed <strong>${row.reviewed}</strong>${row.stale ? ' (over 180 days ago)' : ''}` : html`<strong>No “reviewed” date</strong>`}<br>
<span${row.long ? html` class="long"` : ''}>${row.mainLength} characters${row.long ? ' (long for a phone)' : ''}</span>${row.sectionCount > 0 ? ` · ${plural(row.sectionCount, 'section')}` : ''}
${row.sources.length === 0 ? html`<br><span class="long">No sources</span>` : html`<details><summary>${plural(row.sources.length, 'source')}</summary><ul>${row.sources.map((src) => html`<li>${/^https?:\/\//.test(src) ? html`<a href="${src}" rel="noreferrer noopener">${src}</a>` : src}</li>`)}</ul></details>`}
<code class="file">responses/${lang}/${intent}.md</code></td>`;
  };
  return html`<h1>Content <span class="muted">· ${plural(items.length, 'explainer')}${toReview > 0 ? html`, <strong>${toReview} to review</strong>` : ', all up to date'}</span></h1>
<p>Every explainer Puente sends, in English and Spanish side by side. An attorney reviews the texts in <code>responses/</code>, then updates the <code>reviewed:</code> date at the top of each file. Those needing attention come first: a missing translation, a review older than 180 days, or a text too long to read on a phone.</p>
<table class="stack content"><thead><tr><th>Explainer</th><th>English</th><th>Spanish</th></tr></thead><tbody>${items.map((item) => html`<tr${item.needsReview ? html` class="needs-review"` : ''}><td data-label="Explainer"><strong>${item.title}</strong><br><code>${breakable(item.intent)}</code>${item.needsReview ? html`<br><span class="long">Needs review</span>` : ''}</td>${LANGS.map((lang) => cell(item.intent, lang, item[lang]))}</tr>`)}</tbody></table>`;
}
