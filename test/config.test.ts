/** Configuration: every variable validated, one line per bad value, naming it. */
import { ConfigError, loadConfig } from '../src/config';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env, '/tmp');
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
};

it('has the defaults of SPEC §10', () => {
  const config = loadConfig({}, '/tmp');
  expect(config).toMatchObject({
    transport: 'whatsapp-web', timezone: 'America/New_York', consultationMinutes: 40, bookingLeadHours: 24,
    handoffIdleHours: 24, handoffReminderMinutes: 60, retentionDays: 90, staffNumbers: [], consultationFee: undefined,
  });
  expect(config.hours.week[1]).toEqual([[540, 1020]]);
  expect(config.hours.week[0]).toEqual([]);
});

it('reads booking, handoff and privacy settings', () => {
  const config = loadConfig({
    OFFICE_HOURS: 'Mon-Fri 9:00-13:00 14:00-18:00; Sat 10:00-14:00', CONSULTATION_FEE: '$150', CONSULTATION_MINUTES: '30',
    BOOKING_LEAD_HOURS: '4', STAFF_WHATSAPP_NUMBERS: '+1 555 123 4567, 15557654321', HANDOFF_IDLE_HOURS: '8',
    HANDOFF_REMINDER_MINUTES: '30', RETENTION_DAYS: '30', FIRM_TIMEZONE: 'America/Chicago',
  }, '/tmp');
  expect(config).toMatchObject({ consultationFee: '$150', consultationMinutes: 30, bookingLeadHours: 4, handoffIdleHours: 8, handoffReminderMinutes: 30, retentionDays: 30, timezone: 'America/Chicago' });
  expect(config.staffNumbers).toEqual(['15551234567', '15557654321']);
  expect(config.hours.week[6]).toEqual([[600, 840]]);
});

it('names every bad variable on its own line', () => {
  const found = problems({
    OFFICE_HOURS: 'whenever', CONSULTATION_MINUTES: 'forty', BOOKING_LEAD_HOURS: '-1', STAFF_WHATSAPP_NUMBERS: 'maria',
    HANDOFF_IDLE_HOURS: '0', RETENTION_DAYS: 'x', FIRM_TIMEZONE: 'Mars/Olympus', HANDOFF_REMINDER_MINUTES: '1',
  });
  for (const name of ['OFFICE_HOURS', 'CONSULTATION_MINUTES', 'BOOKING_LEAD_HOURS', 'STAFF_WHATSAPP_NUMBERS', 'HANDOFF_IDLE_HOURS', 'RETENTION_DAYS', 'FIRM_TIMEZONE', 'HANDOFF_REMINDER_MINUTES']) {
    expect(found.filter((line) => line.startsWith(name))).toHaveLength(1);
  }
  expect(found.every((line) => !line.includes('\n'))).toBe(true);
});
