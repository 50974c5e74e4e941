/**
 * QR codes for linking WhatsApp: an image for the dashboard, text art for the terminal. The `qrcode` package (~8 MB
 * resident) is loaded only the first time a code is drawn, so a process that is already linked never pays for it.
 */
type QrModule = typeof import('qrcode');
let loaded: QrModule | undefined;
const qrcode = (): QrModule => (loaded ??= require('qrcode') as QrModule);

/** A PNG data URL of the code, for an <img>. */
export function qrDataUrl(text: string): Promise<string> {
  return qrcode().toDataURL(text, { margin: 2, width: 280, errorCorrectionLevel: 'M' });
}

/** The code drawn with block characters, small enough for a laptop terminal. */
export function qrTerminal(text: string): Promise<string> {
  return qrcode().toString(text, { type: 'terminal', small: true });
}
