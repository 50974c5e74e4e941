/**
 * Clients beyond the queue: the list and search (name, number, what they wrote), each client's whole history (every
 * conversation line, case and consultation, with status, notes and the audit list), writing to a client when WhatsApp
 * allows it, and notes on the client.
 */
import { displayChat } from '../handoff/notify';
import { SERVICE_WINDOW_MS } from '../turn/sender';
import type { AuditEntry, ClientSummary, HandoffRecord, NoteRecord, TranscriptEntry } from '../store';
import type { Actor, ConsultationView, Delivery, DeskContext } from './context';
import { DeskError } from './errors';

/** A client as the list shows it. */
export interface ClientItem extends ClientSummary {
  readonly phone: string;
}

/** Whether staff can write to the client now, and if not, why (shown next to the message box). */
export interface WriteWindow {
  readonly open: boolean;
  /** When WhatsApp's 24-hour window closes (Cloud API only). */
  readonly closesAt?: string;
  readonly reason?: string;
}

/** Everything the firm has on one client. */
export interface ClientHistory {
  readonly client: ClientItem;
  readonly transcript: TranscriptEntry[];
  readonly handoffs: HandoffRecord[];
  readonly consultations: ConsultationView[];
  readonly notes: NoteRecord[];
  readonly audit: AuditEntry[];
  readonly write: WriteWindow;
}

export class Clients {
  constructor(private readonly ctx: DeskContext) {}

  /** Clients, most recently seen first; `q` searches name, number and what they wrote. */
  async list(q?: string, limit = 50): Promise<ClientItem[]> {
    const query = q?.trim().slice(0, 100);
    return (await this.ctx.store.clients({ q: query || undefined, limit })).map((c) => ({ ...c, phone: displayChat(c.chat) }));
  }

  /** One client's whole history; 404 when the firm has no such client. */
  async history(chat: string): Promise<ClientHistory> {
    const found = await this.ctx.store.client(chat);
    if (!found) throw new DeskError(404, 'no such client', 'no-client');
    const [transcript, handoffs, consultations, notes, audit] = await Promise.all([
      this.ctx.store.transcript(chat), this.ctx.store.handoffsOf(chat), this.ctx.store.consultationsOf(chat), this.ctx.store.notesOf(chat),
      this.ctx.store.audit({ chat, limit: 200 }),
    ]);
    return {
      client: { ...found, phone: displayChat(chat) }, transcript, handoffs, consultations: consultations.map((c) => this.ctx.view(c)), notes, audit,
      write: await this.window(found),
    };
  }

  /** Writes to a client (a staff message: the bot pauses in that chat and the case is the writer's). */
  async write(chat: string, text: string, actor: Actor): Promise<{ delivery: Delivery }> {
    const delivery = await this.ctx.tell(chat, text, { kind: 'staff', actor }, async (tx) => {
      const open = await tx.openHandoff();
      await tx.addAudit({ actor: actor.name, action: 'client.message', handoffId: open?.id, at: this.ctx.now().toISOString() });
    });
    return { delivery };
  }

  /** An internal note on the client (and on their open case, if any). */
  async note(chat: string, text: string, actor: Actor): Promise<NoteRecord> {
    if (!(await this.ctx.store.client(chat))) throw new DeskError(404, 'no such client', 'no-client');
    const at = this.ctx.now().toISOString();
    return this.ctx.store.withChat(chat, async (tx) => {
      const open = await tx.openHandoff();
      const note = await tx.addNote({ handoffId: open?.id, author: actor.name, text, at });
      await tx.addAudit({ actor: actor.name, action: 'note.add', handoffId: open?.id, at });
      return note;
    });
  }

  private async window(client: ClientSummary): Promise<WriteWindow> {
    const refusal = await this.ctx.cannotWrite(client.chat);
    if (refusal) return { open: false, reason: refusal.message };
    if (this.ctx.deps.channel().name !== 'cloud-api' || !client.lastInboundAt) return { open: true };
    return { open: true, closesAt: new Date(Date.parse(client.lastInboundAt) + SERVICE_WINDOW_MS).toISOString() };
  }
}
