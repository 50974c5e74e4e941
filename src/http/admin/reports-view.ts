/**
 * Insights (messages per day, intents, fallback rate, what Puente did not understand) and content health.
 */
import { LANGS, type Lang } from '../../nlu/types';
import type { ContentIssue, Insights } from './desk';
import { formatDay, html, languageName, percent, plural, shiftDay, type Html } from './views';

/** The periods offered on the insights page. */
export const INSIGHT_PERIODS = [7, 30, 90] as const;

/** The insights page; `today` is the firm's date (YYYY-MM-DD). */
export function insightsView(insights: Insights, today: string): Html {
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
<p><a class="button secondary" href="/admin/insights.yaml?days=${days}" download="unrecognised-${today}.yaml">Download as YAML for intents/</a></p>
${insights.unrecognised.length === 0
    ? html`<p class="muted">Nothing in this period. 🎉</p>`
    : html`<table><thead><tr><th>Message</th><th>Language</th><th class="num">Times</th></tr></thead><tbody>${insights.unrecognised.map((u) => html`<tr><td data-label="Message"${u.lang ? html` lang="${u.lang}"` : ''}>${u.text}</td><td data-label="Language">${languageName(u.lang)}</td><td data-label="Times" class="num">${u.count}</td></tr>`)}</tbody></table>`}
</section>
<section class="card"><h2>What clients asked about</h2>
${insights.intents.length === 0
    ? html`<p class="muted">No messages in this period.</p>`
    : html`<table><thead><tr><th>Intent</th><th class="num">Messages</th><th class="num">Share</th></tr></thead><tbody>${insights.intents.map((i) => html`<tr><td data-label="Intent"><code>${breakable(i.intent)}</code></td><td data-label="Messages" class="num">${i.count}</td><td data-label="Share" class="num">${percent(insights.total === 0 ? 0 : i.count / insights.total)}</td></tr>`)}</tbody></table>`}
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

const PROBLEM = {
  stale: (i: ContentIssue) => `Reviewed ${i.reviewed ?? ''} (over 180 days ago)`,
  'no-date': () => 'No “reviewed” date',
  missing: () => 'Missing: no translation',
} as const;

/** Explainers that need an attorney's review, one row per explainer with both languages side by side. */
export function contentView(issues: readonly ContentIssue[]): Html {
  if (issues.length === 0) {
    return html`<h1>Content</h1><section class="card empty"><p><strong>All explainers are up to date.</strong></p><p>Every explainer exists in English and Spanish and was reviewed in the last 180 days.</p></section>`;
  }
  const byIntent = new Map<string, Partial<Record<Lang, ContentIssue>>>();
  for (const issue of issues) byIntent.set(issue.intent, { ...byIntent.get(issue.intent), [issue.lang]: issue });
  const cell = (intent: string, lang: Lang, issue: ContentIssue | undefined) => html`<td data-label="${languageName(lang)}" class="${issue ? `problem-${issue.problem}` : 'problem-none'}">${issue ? PROBLEM[issue.problem](issue) : 'Up to date'}${issue?.problem === 'missing' ? '' : html`<br><code class="file">responses/${lang}/${intent}.md</code>`}</td>`;
  return html`<h1>Content <span class="muted">· ${plural(byIntent.size, 'explainer')} to review</span></h1>
<p>An attorney should review these texts in <code>responses/</code>, then update the <code>reviewed:</code> date at the top of each file. A missing translation is a new file with the same name in the other language’s folder.</p>
<table class="stack content"><thead><tr><th>Explainer</th><th>English</th><th>Spanish</th></tr></thead><tbody>${[...byIntent.entries()].map(([intent, langs]) => {
    const title = langs.en?.title ?? langs.es?.title;
    return html`<tr><td data-label="Explainer">${title ? html`<strong>${title}</strong><br>` : ''}<code>${breakable(intent)}</code></td>${LANGS.map((lang) => cell(intent, lang, langs[lang]))}</tr>`;
  })}</tbody></table>`;
}
