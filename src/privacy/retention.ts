/**
 * The retention purge (SPEC §2 journey 9): transcripts older than RETENTION_DAYS go; a contact silent that long is
 * forgotten unless something is still open for them; voice notes, photos and files go with the transcript, internal notes
 * when nothing is open for the client, and old audit entries no longer name the client. Decided here; the storage port removes what the plan says.
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
    // What the client sent goes with the transcript; notes stay while something is open for the client.
    mediaBefore: cutoff,
    notesBefore: cutoff,
    auditBefore: cutoff,
    // Sessions and sign-in failures are kept no longer than they count (failures: a day, well past every limit's window).
    expiredBefore: now.toISOString(),
    signInFailuresBefore: new Date(now.getTime() - DAY_MS).toISOString(),
  };
}
