// Locally, mail is written, not sent: each message a .eml file under DATA_DIR/mail/ that any mail client
// opens (nodemailer builds it, as its SES transport does in AWS). A message that keeps failing is
// dead-lettered with its reason, in DATA_DIR/mail/dead-letters.jsonl (no contact details: the household only).
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { acknowledgeEnquiry, type MailTransport } from '../shared/projections/acknowledgement';
import { ACKNOWLEDGEMENT_SENDER_ENV } from '../shared/wiring/environment';
import type { AcknowledgementOwed } from '../shared/store/acknowledgements';

/** Who the acknowledgements come from locally. */
export const LOCAL_MAIL_FROM = 'Fostering (local) <fostering@localhost>';
/** Tries before a message is dead-lettered, with a pause doubling from this between them. */
const ATTEMPTS = 3;
const FIRST_PAUSE_MS = 100;

export const mailDirectory = (dataDir: string) => join(dataDir, 'mail');

/** A transport that writes each message as `<reference>.eml` under `dir`. */
export function fileTransport(dir: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    sendMail: async (message) => {
      const info = (await composer.sendMail(message)) as { message: Buffer };
      const reference = String((message.headers as Record<string, string> | undefined)?.['X-Fostering-Reference'] ?? Date.now());
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${reference}.eml`), info.message);
      return info;
    },
  };
}

/** The local stand-in for the acknowledgement's stream reader: retried, then dead-lettered with its reason. Never throws. */
export function localAcknowledger(dataDir: string, options: { transport?: MailTransport; log?: (line: string) => void } = {}) {
  const dir = mailDirectory(dataDir);
  const transport = options.transport ?? fileTransport(dir);
  return async (owed: AcknowledgementOwed): Promise<void> => {
    let reason = '';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        await acknowledgeEnquiry(owed, transport, process.env[ACKNOWLEDGEMENT_SENDER_ENV] || LOCAL_MAIL_FROM);
        return;
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
        if (attempt < ATTEMPTS) await new Promise((done) => setTimeout(done, FIRST_PAUSE_MS * 2 ** (attempt - 1)));
      }
    }
    mkdirSync(dir, { recursive: true });
    appendFileSync(
      join(dir, 'dead-letters.jsonl'),
      `${JSON.stringify({ ...owed, attempts: ATTEMPTS, reason, failedAt: new Date().toISOString() })}\n`,
    );
    options.log?.(`[mail] the acknowledgement of household ${owed.householdId} was dead-lettered: ${reason}`);
  };
}
