/**
 * Which consultation status changes are allowed (by staff or by the client). Pure; the storage port applies a change
 * only if the status is still the one the rule was checked against.
 */
import type { ConsultationStatus } from '../store';

const ALLOWED: Readonly<Record<ConsultationStatus, readonly ConsultationStatus[]>> = {
  requested: ['confirmed', 'cancelled'],
  confirmed: ['cancelled', 'completed', 'no-show', 'requested'],
  cancelled: [],
  completed: [],
  'no-show': [],
};

/** True when a consultation in status `from` may become `to`. */
export function canBecome(from: ConsultationStatus, to: ConsultationStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** True while a consultation still holds its time (requested or confirmed). */
export function isActive(status: ConsultationStatus): status is 'requested' | 'confirmed' {
  return status === 'requested' || status === 'confirmed';
}
