import nodemailer from 'nodemailer';
import type { MailDefaults } from 'nodemailer';
import type { MailConfig } from '../../config';
import { writeToMailbox } from './mailbox';

/** One message ready to go: the rendered parts and one addressee. */
export interface OutgoingMail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
}

export interface Delivery {
  /** The Message-ID header the message went out with. */
  messageId: string;
}

/** Where the mailer reports what it did (a pino or Fastify logger). */
export interface MailLog {
  info(obj: object, msg: string): void;
}

/** Sends messages over SMTP, or writes them to the development mailbox. */
export interface Mailer {
  send(mail: OutgoingMail, log: MailLog): Promise<Delivery>;
}

/** A failed delivery; `permanent` when the server refused for good (a 5xx reply). */
export class MailDeliveryError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
    this.name = 'MailDeliveryError';
  }
}

const defaults = (config: MailConfig): MailDefaults => ({
  from: config.from,
  // RFC 3834: tells mail systems not to answer with vacation replies.
  headers: { 'Auto-Submitted': 'auto-generated' },
});

/** The password of an SMTP URL, decoded as nodemailer reads it, so error texts can be cleaned of it. */
function secretsOf(smtpUrl: string): string[] {
  const { password } = new URL(smtpUrl);
  return password ? [password, decodeURIComponent(password)] : [];
}

function redact(text: string, secrets: string[]): string {
  return secrets.reduce((t, s) => t.split(s).join('***'), text);
}

function smtpMailer(config: MailConfig & { smtpUrl: string }): Mailer {
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    // Credentials and messages never cross the network in clear: STARTTLS is required on smtp://.
    requireTLS: true,
    tls: { minVersion: 'TLSv1.2' },
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
    // nodemailer's own logger could print the AUTH exchange.
    logger: false,
    debug: false,
  }, defaults(config));
  const secrets = secretsOf(config.smtpUrl);
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail(mail);
        return { messageId: info.messageId };
      } catch (err) {
        const e = err as Error & { permanent?: boolean };
        throw new MailDeliveryError(redact(e.message, secrets), e.permanent === true);
      }
    },
  };
}

function mailboxMailer(config: MailConfig): Mailer {
  // The stream transport builds the same raw message SMTP would carry.
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true }, defaults(config));
  return {
    async send(mail, log) {
      const info = await transport.sendMail(mail);
      const summary = { to: mail.to.address, subject: mail.subject };
      const file = await writeToMailbox(config.mailboxDir, info.message as Buffer, summary);
      log.info({ path: file }, 'email written to the development mailbox (no SMTP_URL set)');
      return { messageId: info.messageId };
    },
  };
}

const mailers = new WeakMap<MailConfig, Mailer>();

/** The mailer of a configuration (one transport per configuration, built on first use). */
export function mailerFor(config: MailConfig): Mailer {
  let mailer = mailers.get(config);
  if (!mailer) {
    mailer = config.smtpUrl ? smtpMailer({ ...config, smtpUrl: config.smtpUrl }) : mailboxMailer(config);
    mailers.set(config, mailer);
  }
  return mailer;
}
