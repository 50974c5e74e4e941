/**
 * What "delete my data" does (SPEC §2 journey 9), decided here and applied through the storage port: the client's
 * upcoming consultations are cancelled and staff told (without personal details), then everything personal of the
 * chat is removed: transcript, the voice notes, photos and files they sent, staff's internal notes on them, and the
 * chat and detail of every audit entry about them (who did what stays, about no one).
 */
import { canBecome } from '../booking/status';
import type { ConsultationRecord, ErasureScope } from '../store';

/** The note a consultation keeps when it was cancelled by an erasure. */
export const ERASURE_NOTE = 'cancelled: the client erased their data';

/** What is removed: every store applies exactly this. */
export const ERASURE_SCOPE: ErasureScope = Object.freeze({
  personalData: true,
  handoffs: 'delete',
  consultations: 'anonymise',
  processedIds: 'detach',
  notes: 'delete',
  audit: 'detach',
});

/** The erasure of one chat: which consultations to cancel (each one tells staff). */
export interface ErasurePlan {
  readonly cancel: readonly ConsultationRecord[];
  readonly scope: ErasureScope;
}

/** Plans an erasure from the chat's upcoming consultations. */
export function erasurePlan(upcoming: readonly ConsultationRecord[]): ErasurePlan {
  return { cancel: upcoming.filter((c) => canBecome(c.status, 'cancelled')), scope: ERASURE_SCOPE };
}
