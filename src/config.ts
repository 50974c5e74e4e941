/**
 * Configuration: read the environment (and a `.env` file) once, validate every value, return a frozen typed object.
 * Bad values are collected and reported together, one line each, naming the variable.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { OfficeHoursError, parseOfficeHours, type OfficeHours } from './booking/office-hours';

/** Which channel carries messages. */
export type Transport = 'whatsapp-web' | 'cloud-api' | 'none';

/** Firm details used in explainers; a missing one is left out of replies, never invented. */
export interface FirmDetails {
  readonly name?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly address?: string;
  /** Office hours as written in `OFFICE_HOURS`, shown to clients. */
  readonly hours: string;
}

/** The validated configuration. */
export interface Config {
  readonly transport: Transport;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly intentsDir: string;
  readonly responsesDir: string;
  readonly adminPassword?: string;
  readonly chromePath?: string;
  readonly firm: FirmDetails;
  readonly timezone: string;
  readonly officeHours: string;
  /** `OFFICE_HOURS` parsed. */
  readonly hours: OfficeHours;
  readonly consultationFee?: string;
  readonly consultationMinutes: number;
  readonly bookingLeadHours: number;
  readonly staffNumbers: readonly string[];
  readonly handoffIdleHours: number;
  readonly handoffReminderMinutes: number;
  readonly retentionDays: number;
  readonly nluThreshold?: number;
  readonly logLevel: string;
  readonly logMessageText: boolean;
  /** PostgreSQL connection URL (`postgres://…`); undefined runs on SQLite in DATA_DIR. */
  readonly databaseUrl?: string;
  /** How long a server holds a reply or notification it is sending before another server may take it over. */
  readonly outboxLeaseSeconds: number;
  /** Replies a server sends at the same time, at most (after a crash, only these can go out twice). */
  readonly sendConcurrency: number;
  /**
   * Which reverse proxies to believe about the client's address (`X-Forwarded-For`), as express's `trust proxy`:
   * a number of hops, `loopback`, or addresses/CIDRs. Undefined: none (the socket's address counts).
   */
  readonly trustProxy?: number | string;
  /** Voice notes, photos and files larger than this are not kept (MEDIA_MAX_MB). */
  readonly mediaMaxBytes: number;
  readonly cloudApi: {
    readonly token?: string;
    readonly phoneNumberId?: string;
    readonly appSecret?: string;
    readonly verifyToken?: string;
    readonly baseUrl: string;
  };
}

/** Thrown when one or more variables are invalid; `problems` holds one line per bad value. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads `.env` in `cwd` without overriding variables already set in the environment. Returns {} when absent. */
export function readDotEnv(cwd: string): Record<string, string> {
  const file = resolve(cwd, '.env');
  if (!existsSync(file)) return {};
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}

/**
 * Builds the configuration from an environment. Throws {@link ConfigError} listing every bad variable.
 * `cwd` anchors relative paths (`DATA_DIR`) and the project folders.
 */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd(), projectRoot = resolve(__dirname, '..')): Config {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };
  const transport = (text('TRANSPORT') ?? 'whatsapp-web') as Transport;
  if (!['whatsapp-web', 'cloud-api', 'none'].includes(transport)) {
    problems.push(`TRANSPORT must be one of whatsapp-web, cloud-api, none (got "${transport}")`);
  }
  const timezone = text('FIRM_TIMEZONE') ?? 'America/New_York';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    problems.push(`FIRM_TIMEZONE must be an IANA time zone such as America/New_York (got "${timezone}")`);
  }
  const logLevel = (text('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  let nluThreshold: number | undefined;
  const rawThreshold = text('NLU_THRESHOLD');
  if (rawThreshold !== undefined) {
    nluThreshold = Number(rawThreshold);
    if (!Number.isFinite(nluThreshold) || nluThreshold < 0 || nluThreshold > 1) {
      problems.push(`NLU_THRESHOLD must be a number from 0 to 1 (got "${rawThreshold}")`);
      nluThreshold = undefined;
    }
  }
  const staffNumbers = (text('STAFF_WHATSAPP_NUMBERS') ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  for (const number of staffNumbers) {
    if (!/^\+?\d{8,15}$/.test(number.replace(/[\s-]/g, ''))) {
      problems.push(`STAFF_WHATSAPP_NUMBERS must be phone numbers with country code, separated by commas (bad entry "${number}")`);
    }
  }
  const baseUrl = text('CLOUD_API_BASE_URL') ?? 'https://graph.facebook.com/v21.0';
  if (!/^https?:\/\/\S+$/.test(baseUrl)) problems.push(`CLOUD_API_BASE_URL must be an http(s) URL (got "${baseUrl}")`);
  const officeHours = text('OFFICE_HOURS') ?? 'Mon-Fri 09:00-17:00';
  let hours: OfficeHours;
  try {
    hours = parseOfficeHours(officeHours);
  } catch (err) {
    if (!(err instanceof OfficeHoursError)) throw err;
    problems.push(`OFFICE_HOURS must look like "Mon-Fri 09:00-17:00" or "Mon-Fri 09:00-13:00 14:00-18:00; Sat 10:00-14:00": ${err.message} (got "${officeHours}")`);
    hours = parseOfficeHours('Mon-Fri 09:00-17:00');
  }
  const databaseUrl = text('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(?:ql)?:\/\/\S+$/.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/puente (or unset for SQLite in DATA_DIR)');
  }
  const trustProxy = parseTrustProxy(text('TRUST_PROXY'), problems);
  const fee = text('CONSULTATION_FEE');
  if (fee !== undefined && (fee.length > 60 || /[\r\n]/.test(fee))) problems.push(`CONSULTATION_FEE must be a short amount as clients should read it, e.g. "$150" (got "${fee.slice(0, 60)}…")`);
  const config: Config = {
    transport,
    port: integer('PORT', 3000, 0, 65535),
    host: text('HOST') ?? '0.0.0.0',
    dataDir: resolve(cwd, text('DATA_DIR') ?? './data'),
    intentsDir: resolve(projectRoot, 'intents'),
    responsesDir: resolve(projectRoot, 'responses'),
    adminPassword: text('ADMIN_PASSWORD'),
    chromePath: text('CHROME_PATH'),
    firm: { name: text('FIRM_NAME'), phone: text('FIRM_PHONE'), email: text('FIRM_EMAIL'), address: text('FIRM_ADDRESS'), hours: officeHours },
    timezone,
    officeHours,
    hours,
    consultationFee: fee,
    consultationMinutes: integer('CONSULTATION_MINUTES', 40, 10, 240),
    bookingLeadHours: integer('BOOKING_LEAD_HOURS', 24, 0, 24 * 30),
    staffNumbers: staffNumbers.map((n) => n.replace(/[^\d]/g, '')),
    handoffIdleHours: integer('HANDOFF_IDLE_HOURS', 24, 1, 24 * 30),
    handoffReminderMinutes: integer('HANDOFF_REMINDER_MINUTES', 60, 5, 24 * 60),
    retentionDays: integer('RETENTION_DAYS', 90, 1, 3650),
    nluThreshold,
    logLevel,
    logMessageText: text('LOG_MESSAGE_TEXT') === 'true',
    databaseUrl,
    outboxLeaseSeconds: integer('OUTBOX_LEASE_SECONDS', 60, 2, 3600),
    sendConcurrency: integer('SEND_CONCURRENCY', 32, 1, 1000),
    trustProxy,
    mediaMaxBytes: integer('MEDIA_MAX_MB', 16, 1, 100) * 1_048_576,
    cloudApi: {
      token: text('CLOUD_API_TOKEN'),
      phoneNumberId: text('CLOUD_API_PHONE_NUMBER_ID'),
      appSecret: text('CLOUD_API_APP_SECRET'),
      verifyToken: text('CLOUD_API_VERIFY_TOKEN'),
      baseUrl,
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/**
 * TRUST_PROXY: `1` (one proxy in front, e.g. Caddy), another hop count, `loopback`, `uniquelocal`, or comma-separated
 * addresses/CIDRs; `false`/`0`/unset trusts none. Never `true`: anyone could then choose their own address.
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): number | string | undefined {
  if (raw === undefined || raw === 'false' || raw === '0') return undefined;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const parts = raw.split(',').map((p) => p.trim());
  const ok = parts.every((p) => /^(loopback|linklocal|uniquelocal)$/.test(p) || /^[\d.]+(\/\d{1,2})?$/.test(p) || /^[\da-f:]+(\/\d{1,3})?$/i.test(p));
  if (!ok || raw === 'true') {
    problems.push(`TRUST_PROXY must be the number of proxies in front of Puente (e.g. 1), loopback, uniquelocal, or their addresses separated by commas (got "${raw.slice(0, 60)}")`);
    return undefined;
  }
  return raw;
}
