/**
 * The channel port: what the rest of Puente needs from a messaging channel (whatsapp-web, cloud-api, console), and
 * what a channel reports about itself. Both sides import these types from here, so no arrow points outward.
 */
import type { Router } from 'express';

/** Sends a text to a chat through the active channel. Rejects when the channel could not send it. */
export interface Outbound {
  send(chat: string, text: string): Promise<void>;
}

/** Sends one staff notification through the active channel. Rejects when it could not be sent. */
export interface Notifier {
  notify(recipient: string, text: string): Promise<void>;
}

/** What a channel reports about its connection, for `/readyz` and the dashboard. */
export interface ChannelStatus {
  readonly name: string;
  readonly state: 'connected' | 'connecting' | 'down' | 'none';
  /** Why it is not connected, in one line (no personal data), when known. */
  readonly detail?: string;
  /** whatsapp-web: the phone must (re)scan a QR code. */
  readonly needsQr?: boolean;
}

/** A running channel as the process sees it. */
export interface Channel {
  readonly outbound: Outbound;
  readonly notifier: Notifier;
  /** HTTP routes the channel serves (Cloud API webhooks). */
  readonly routers: readonly Router[];
  status(): ChannelStatus;
  /** The QR code to scan (whatsapp-web, while unlinked). */
  qr(): string | undefined;
  stop(): Promise<void>;
}
