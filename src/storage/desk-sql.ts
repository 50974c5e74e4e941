/** SQL the staff desk's queries share on both backends (plain SQL that SQLite and PostgreSQL read alike). */

/** Intents that are not answers to a question (form steps, commands, waiting carry a ':' or are one of these). */
export const NOT_ANSWERS = `('none', 'media', 'chitchat', 'error', 'advice', 'consultation_manage')`;

/** A client's columns: the name the client gave (WhatsApp profile, or the one written in a booking or an emergency case). */
export const CLIENT_COLUMNS = `c.chat, COALESCE(c.name, (SELECT k.name FROM consultations k WHERE k.chat = c.chat AND k.name IS NOT NULL ORDER BY k.id DESC LIMIT 1),
    (SELECT h.name FROM handoffs h WHERE h.chat = c.chat AND h.name IS NOT NULL ORDER BY h.id DESC LIMIT 1)) AS name, c.lang, c.created_at, c.last_seen_at, c.last_inbound_at,
  (SELECT kind FROM handoffs h WHERE h.chat = c.chat AND h.status = 'open') AS open_kind`;

/** An answer to check: the message, its conversation's language and whether staff marked it wrong. */
export const ANSWER_COLUMNS = `m.id, m.chat, m.text, m.intent, m.confidence, COALESCE(c.lang, m.lang, 'en') AS lang, m.created_at, k.marked_by, k.marked_at`;
