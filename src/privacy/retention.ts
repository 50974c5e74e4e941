/**
 * The retention purge (SPEC §2 journey 9): transcripts older than RETENTION_DAYS go; a contact silent that long is
 * forgotten unless something is still open for them. Decided here; the storage port removes what the plan says.
 */
import type { RetentionPlan } from '../store';

const DAY_MS = 86_400_000;

/** The purge for `retentionDays` as of `now`. */
export function retentionPlan(now: Date, retentionDays: number): RetentionPlan {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  return {
    messagesBefore: cutoff,
    contactsSilentBefore: cutoff,
    housekeepingBefore: cutoff,
    redactHandoffsBefore: cutoff,
    redactConsultationsBefore: cutoff,
  };
}
