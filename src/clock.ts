/** Where time comes from. Everything that needs the time takes a {@link Clock}, so tests move time by hand and never sleep. */
export interface Clock {
  now(): Date;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };
