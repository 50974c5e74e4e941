/**
 * What staff read about a consultation request: seen through the Cloud API, a client who booked while her emergency
 * case was open was announced by her WhatsApp profile name ("Cliente"), not the name she gave for the consultation.
 */
import { staffMessage } from '../../src/handoff/notify';
import type { ConsultationRecord, HandoffRecord } from '../../src/store';

const at = '2026-12-01T21:50:00.000Z';
const handoff = { id: 3, chat: '12125550103', kind: 'consultation', priority: 2, lang: 'es', name: 'Cliente', summary: 'mi permiso de trabajo está atrasado', status: 'open', createdAt: at, activityAt: at } as HandoffRecord;
const consultation = { id: 1, chat: '12125550103', status: 'requested', mode: 'phone', name: 'Rosa Martínez', lang: 'es', slot: { start: '2026-12-04T14:00:00.000Z', end: '2026-12-04T14:40:00.000Z' }, createdAt: at, updatedAt: at } as ConsultationRecord;

describe('a consultation request for staff', () => {
  it('names the person who booked, not the chat\'s profile name', () => {
    const text = staffMessage({ type: 'handoff', handoff, escalated: false, consultation }, 'America/New_York');
    expect(text.split('\n')[1]).toBe('Spanish · Rosa');
    expect(text).toContain('Phone consultation #1, Fri, Dec 4, 9:00 AM');
  });

  it('a case without a consultation keeps the name it has', () => {
    expect(staffMessage({ type: 'handoff', handoff, escalated: false }, 'America/New_York').split('\n')[1]).toBe('Spanish · Cliente');
  });
});
