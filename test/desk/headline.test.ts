/**
 * What a case is about in the inbox (issue 12): never blank, never a filler such as "idk" or "agent"; the client's
 * latest real question instead, or what kind of case it is.
 */
import { headline } from '../../src/desk/handoffs';
import type { HandoffRecord } from '../../src/store';

const base: HandoffRecord = { id: 1, chat: 'c', kind: 'human', priority: 1, status: 'open', lang: 'en', summary: '', createdAt: '2026-11-30T15:00:00Z', activityAt: '2026-11-30T15:00:00Z' };

it.each([
  ['', 'human', [], 'Asked to talk to a person (no question written yet)'],
  ['agent', 'human', ['agent'], 'Asked to talk to a person (no question written yet)'],
  ['idk', 'advice', ['idk', 'ok'], 'Question for the team'],
  ['agent', 'human', ['my asylum interview was cancelled twice', 'ok'], 'my asylum interview was cancelled twice'],
  ['ayudaaa', 'urgent', ['ayudaaa'], 'Emergency reported: read the conversation below'],
  ['my work permit renewal is stuck since March', 'human', ['yes'], 'my work permit renewal is stuck since March'],
  ['Staff took over the conversation', 'human', [], 'Staff took over the conversation'],
] as const)('summary %j (%s), latest %j → %j', (summary, kind, latest, expected) => {
  expect(headline({ ...base, kind, summary }, latest)).toBe(expected);
});

it.each([
  ['consultation', 'Consultation request', 'work permit renewal', 'work permit renewal'],
  ['consultation', 'my work permit renewal is stuck since March', 'work permit renewal', 'my work permit renewal is stuck since March'],
  ['consultation', '', undefined, 'Consultation request'],
  ['human', '', 'work permit renewal', 'Asked to talk to a person (no question written yet)'],
] as const)('a %s case with summary %j and topic %j → %j', (kind, summary, topic, expected) => {
  expect(headline({ ...base, kind, summary }, [], topic)).toBe(expected);
});
