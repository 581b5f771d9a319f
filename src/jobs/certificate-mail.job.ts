import type { RequestContext } from '../shared/context';
import { certificateFacts } from '../modules/certificate/certificate.facts';
import {
  certificateExpiringMessage, certificateIssuedMessage, recertificationOpenedMessage, type Message,
} from '../modules/notification/messages';
import { notificationService } from '../modules/notification/notification.service';
import type { OutboxEventRecord } from './outbox';

/**
 * The emails that follow certificate events: the learner hears of an issued certificate; the
 * holder and their manager hear when the recertification window opens and shortly before expiry.
 * Each message has a key of its own, so a re-run sends nothing twice.
 */
export const certificateMailJob = {
  kind: 'certificate-mail',
  handles: ['certificate.issued', 'recertification.opened', 'certificate.expiring'],
  async run(ctx: RequestContext, event: OutboxEventRecord): Promise<void> {
    const facts = await certificateFacts(ctx, event.entityId);
    if (!facts) return;
    const { holder, manager, certificate } = facts;
    const send = (who: 'holder' | 'manager', message: Message, to: typeof holder) =>
      notificationService.sendOnce(ctx, { key: `${event.type}:${event.entityId}:${who}`, to, message });
    if (event.type === 'certificate.issued') {
      await send('holder', certificateIssuedMessage(certificate), holder);
      return;
    }
    if (!certificate.validUntil) return;
    const reminder = { ...certificate, validUntil: certificate.validUntil, dueAt: facts.dueAt ?? certificate.validUntil };
    const compose = event.type === 'recertification.opened' ? recertificationOpenedMessage : certificateExpiringMessage;
    await send('holder', compose(reminder), holder);
    if (manager) await send('manager', compose({ ...reminder, managerName: manager.name }), manager);
  },
};
