import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** One message the server accepted. */
export interface ReceivedMail {
  raw: Buffer;
  parsed: ParsedMail;
  /** Envelope recipients (RCPT TO). */
  rcptTo: string[];
  /** Whether the conversation ran over TLS (STARTTLS). */
  secure: boolean;
}

/** A real SMTP server on a free port, with knobs for refusing and slowing down deliveries. */
export interface TestSmtp {
  port: number;
  /** An SMTP_URL for this server with the given credentials (trusting its self-signed certificate unless told not to). */
  url(user: string, pass: string, trust?: boolean): string;
  inbox: ReceivedMail[];
  /** Users that tried to log in. */
  logins: string[];
  /** When set, DATA is answered with this reply code. */
  refuseWith: number | null;
  /** Milliseconds the server takes to accept a message. */
  delayMs: number;
  close(): Promise<void>;
}

/**
 * Starts smtp-server with login (user `mailer`, any password given to `start`) and STARTTLS with
 * its built-in self-signed certificate, unless `starttls` is false.
 */
export async function startSmtpServer({ password, starttls = true }: { password: string; starttls?: boolean }): Promise<TestSmtp> {
  const state = { inbox: [] as ReceivedMail[], logins: [] as string[], refuseWith: null as number | null, delayMs: 0 };
  const server = new SMTPServer({
    disabledCommands: starttls ? [] : ['STARTTLS'],
    allowInsecureAuth: !starttls,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      state.logins.push(auth.username ?? '');
      if (auth.username === 'mailer' && auth.password === password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        setTimeout(() => {
          if (state.refuseWith) return callback(Object.assign(new Error('Refused by the test server'), { responseCode: state.refuseWith }));
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then((parsed) => {
            state.inbox.push({ raw, parsed, rcptTo: session.envelope.rcptTo.map((r) => r.address), secure: session.secure });
            callback();
          }, callback);
        }, state.delayMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(state, {
    port,
    url: (user: string, pass: string, trust = true) =>
      // The built-in certificate is self-signed: trusted by the URL's nodemailer option.
      `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}${starttls && trust ? '?tls.rejectUnauthorized=false' : ''}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
