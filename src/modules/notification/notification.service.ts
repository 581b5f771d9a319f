import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../shared/context';
import { forbidden } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { withTenant } from '../../shared/tenant-tx';
import { isEmail } from '../../shared/validate';
import { mailerFor } from './mailer';
import { oneLine } from './message-layout';
import type { Message } from './messages';
import { NotificationStatus } from './notification.entity';

/** Who a message is for: a user of the tenant (their email may be missing). */
export interface Recipient {
  userId: string | null;
  name: string;
  email: string | null;
}

export interface SendOnceInput {
  /** Unique per organization and message, e.g. `certificate-issued:<certificateId>`. */
  key: string;
  to: Recipient;
  message: Message;
}

/** SENT: it went out now; ALREADY_SENT: an earlier call sent it; SKIPPED: no usable address (recorded). */
export type SendOutcome = 'SENT' | 'ALREADY_SENT' | 'SKIPPED';

export interface SendResult {
  notificationId: string;
  outcome: SendOutcome;
}

const MAX_KEY_LENGTH = 200;
const MAX_ERROR_LENGTH = 500;

interface Claimed {
  id: string;
  status: NotificationStatus;
}

type Attempt = SendResult | { notificationId: string; error: Error };

/**
 * Takes the row of `key`, creating it when new, and locks it until the transaction ends: a
 * concurrent call with the same key waits here, then finds the row SENT.
 */
async function claim(em: EntityManager, orgId: string, { key, to, message }: SendOnceInput): Promise<Claimed> {
  await em.query(
    `INSERT INTO notification (organization_id, id, dedupe_key, kind, user_id, recipient, subject)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (organization_id, dedupe_key) DO NOTHING`,
    [orgId, newId(), key, message.kind, to.userId, to.email, message.subject],
  );
  const rows = (await em.query(
    `SELECT id, status FROM notification WHERE organization_id = $1 AND dedupe_key = $2 FOR UPDATE`,
    [orgId, key],
  )) as Claimed[];
  return rows[0];
}

interface Outcome {
  status: NotificationStatus;
  attempted: boolean;
  recipient: string | null;
  subject: string;
  lastError?: string;
  messageId?: string;
}

async function record(em: EntityManager, orgId: string, id: string, o: Outcome): Promise<void> {
  await em.query(
    `UPDATE notification SET status = $3, attempts = attempts + $4, recipient = $5, subject = $6, last_error = $7,
            message_id = $8, sent_at = CASE WHEN $3 = 'SENT' THEN now() END, updated_at = now()
      WHERE organization_id = $1 AND id = $2`,
    [orgId, id, o.status, o.attempted ? 1 : 0, o.recipient, o.subject, o.lastError ?? null, o.messageId ?? null],
  );
}

const usableAddress = (email: string | null): string | null => (email && email.length <= 320 && isEmail(email) ? email : null);

/** One attempt inside the claim's transaction; a failure is recorded (and committed), then thrown by the caller. */
async function attempt(ctx: RequestContext, em: EntityManager, input: SendOnceInput): Promise<Attempt> {
  const orgId = ctx.orgId;
  const { id, status } = await claim(em, orgId, input);
  if (status === NotificationStatus.SENT) return { notificationId: id, outcome: 'ALREADY_SENT' };
  if (status === NotificationStatus.SKIPPED) return { notificationId: id, outcome: 'SKIPPED' };
  const { to, message } = input;
  const address = usableAddress(to.email);
  const base = { recipient: to.email, subject: message.subject };
  if (!address) {
    const lastError = 'the recipient has no usable email address';
    await record(em, orgId, id, { ...base, status: NotificationStatus.SKIPPED, attempted: false, lastError });
    return { notificationId: id, outcome: 'SKIPPED' };
  }
  try {
    const mail = { to: { name: oneLine(to.name), address }, subject: message.subject, text: message.text, html: message.html };
    const { messageId } = await mailerFor(ctx.deps.config.mail).send(mail, ctx.log);
    await record(em, orgId, id, { ...base, status: NotificationStatus.SENT, attempted: true, messageId });
    return { notificationId: id, outcome: 'SENT' };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    const lastError = error.message.slice(0, MAX_ERROR_LENGTH);
    await record(em, orgId, id, { ...base, status: NotificationStatus.FAILED, attempted: true, lastError });
    return { notificationId: id, error };
  }
}

export const notificationService = {
  /**
   * Sends `message` to `to` unless a message with this key was already sent (or skipped) in the
   * organization. Throws when sending fails, leaving the row unsent, so the job queue retries.
   *
   * It runs in a transaction of its own, not the caller's: once a message has gone out its row
   * says so, even if the job that sent it rolls back afterwards.
   */
  async sendOnce(ctx: RequestContext, input: SendOnceInput): Promise<SendResult> {
    // Emails leave from jobs (DESIGN §10), never straight from a request.
    if (ctx.principal.kind !== 'system') throw forbidden('Notifications are sent by background jobs');
    if (!input.key || input.key.length > MAX_KEY_LENGTH) {
      throw new Error(`a notification key has 1 to ${MAX_KEY_LENGTH} characters`);
    }
    const result = await withTenant(ctx.deps.dataSource, ctx.orgId, (tx) => attempt(ctx, tx.manager, input));
    const log = { notificationId: result.notificationId, kind: input.message.kind };
    if ('error' in result) {
      ctx.log.warn({ ...log, err: result.error.message }, 'notification failed');
      throw result.error;
    }
    ctx.log.info({ ...log, outcome: result.outcome }, 'notification');
    return result;
  },
};
