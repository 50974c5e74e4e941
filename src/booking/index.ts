/** Booking: office hours, consultation slots and reading the client's answers in the booking form (SPEC §2 journey 5). */
export {
  type OfficeHours, OfficeHoursError, parseOfficeHours, zonedParts, zonedTimeToUtc, isOpen, nextOpening, describeHours,
  addDays, formatMinute, weekdayFromWord,
} from './office-hours';
export { type Slot, type SlotQuery, availableSlots, allFreeSlots, formatSlot } from './slots';
export { type SlotAnswer, parseMode, parseYesNo, parseName, parseSlotAnswer } from './answers';
