import type { Locale } from '../../shared/context';
import { formatDay, oneLine, render, type MessageParts, type RenderedMessage } from './message-layout';

/** Which email a message is; stored with each sent notification. */
export type MessageKind =
  | 'CERTIFICATE_ISSUED'
  | 'RECERTIFICATION_OPENED'
  | 'RECERTIFICATION_OPENED_MANAGER'
  | 'CERTIFICATE_EXPIRING'
  | 'CERTIFICATE_EXPIRING_MANAGER';

/** A message ready for `notificationService.sendOnce`. */
export interface Message extends RenderedMessage {
  kind: MessageKind;
}

/** What every certificate email names. */
export interface CertificateFacts {
  /** The reader's language; zh-CN when absent. */
  locale?: Locale;
  holderName: string;
  courseTitle: string;
  certificateNumber: string;
  /** null: the certificate does not expire. */
  validUntil: Date | null;
  /** The public verify page of the certificate. */
  verificationUrl: string;
}

/** A reminder about a certificate that expires, to its holder or (with `managerName`) to their manager. */
export interface ReminderFacts extends CertificateFacts {
  validUntil: Date;
  /** The due date of the recertification cycle, when one is open. */
  dueAt?: Date;
  /** Set for the copy that goes to the holder's manager, addressed to them. */
  managerName?: string;
}

/** Values a sentence needs, already formatted for the reader. */
interface Vars {
  holder: string;
  course: string;
  until: string;
  due?: string;
}

interface Text {
  subject: string;
  paragraphs: string[];
}

interface Wording {
  greeting(name: string): string;
  labels: { course: string; holder: string; number: string; validUntil: string; dueAt: string };
  noExpiry: string;
  link: string;
  footer: string;
  issued(v: Vars): Text;
  recertificationOpened(v: Vars, toManager: boolean): Text;
  expiring(v: Vars, toManager: boolean): Text;
}

const ZH: Wording = {
  greeting: (name) => `${name}，您好：`,
  labels: { course: '课程', holder: '持证人', number: '证书编号', validUntil: '有效期至', dueAt: '复训截止' },
  noExpiry: '长期有效',
  link: '在线验证证书',
  footer: '此邮件由系统自动发送，请勿直接回复。',
  issued: (v) => ({
    subject: `证书已颁发：《${v.course}》`,
    paragraphs: [`恭喜您完成课程《${v.course}》，证书已颁发。`, '任何人都可以通过下方链接在线验证这张证书。'],
  }),
  recertificationOpened: (v, toManager) => (toManager
    ? {
      subject: `${v.holder} 的复训已开放：《${v.course}》`,
      paragraphs: [
        `您团队成员 ${v.holder} 的《${v.course}》证书将于 ${v.until} 到期。`,
        `复训已经开放，截止日期为 ${v.due}，请提醒其按时完成。`,
      ],
    }
    : {
      subject: `请完成复训：《${v.course}》`,
      paragraphs: [
        `您的《${v.course}》证书将于 ${v.until} 到期。复训已经开放，请在 ${v.due} 前完成课程。`,
        '完成后将颁发新证书，有效期从旧证书到期时接续。',
      ],
    }),
  expiring: (v, toManager) => (toManager
    ? {
      subject: `${v.holder} 的证书即将到期：《${v.course}》`,
      paragraphs: [
        `您团队成员 ${v.holder} 的《${v.course}》证书将于 ${v.until} 到期。`,
        ...(v.due ? [`复训截止日期为 ${v.due}，请提醒其按时完成。`] : []),
      ],
    }
    : {
      subject: `证书即将到期：《${v.course}》`,
      paragraphs: [
        `您的《${v.course}》证书将于 ${v.until} 到期。`,
        v.due ? `请在 ${v.due} 前完成复训，以免证书失效。` : '到期后证书将不再有效。',
      ],
    }),
};

const EN: Wording = {
  greeting: (name) => `Dear ${name},`,
  labels: {
    course: 'Course', holder: 'Holder', number: 'Certificate number', validUntil: 'Valid until', dueAt: 'Recertification due',
  },
  noExpiry: 'Does not expire',
  link: 'Verify the certificate online',
  footer: 'This message was sent automatically; please do not reply to it.',
  issued: (v) => ({
    subject: `Certificate issued: ${v.course}`,
    paragraphs: [
      `Congratulations on completing ${v.course}: your certificate has been issued.`,
      'Anyone can verify it online with the link below.',
    ],
  }),
  recertificationOpened: (v, toManager) => (toManager
    ? {
      subject: `Recertification open for ${v.holder}: ${v.course}`,
      paragraphs: [
        `The ${v.course} certificate of ${v.holder}, a member of your team, expires on ${v.until}.`,
        `Recertification is open and due on ${v.due}; please remind them to complete it in time.`,
      ],
    }
    : {
      subject: `Recertification open: ${v.course}`,
      paragraphs: [
        `Your ${v.course} certificate expires on ${v.until}. Recertification is open: please complete the course by ${v.due}.`,
        'Your new certificate will continue where the current one ends.',
      ],
    }),
  expiring: (v, toManager) => (toManager
    ? {
      subject: `Certificate expiring for ${v.holder}: ${v.course}`,
      paragraphs: [
        `The ${v.course} certificate of ${v.holder}, a member of your team, expires on ${v.until}.`,
        ...(v.due ? [`Recertification is due on ${v.due}; please remind them to complete it in time.`] : []),
      ],
    }
    : {
      subject: `Certificate expiring soon: ${v.course}`,
      paragraphs: [
        `Your ${v.course} certificate expires on ${v.until}.`,
        v.due ? `Please complete recertification by ${v.due} to keep it valid.` : 'After that day it is no longer valid.',
      ],
    }),
};

const WORDING: Record<Locale, Wording> = { 'zh-CN': ZH, en: EN };

type AnyFacts = CertificateFacts & { dueAt?: Date; managerName?: string };

function compose(kind: MessageKind, facts: AnyFacts, pick: (w: Wording, v: Vars) => Text): Message {
  const locale = facts.locale ?? 'zh-CN';
  const w = WORDING[locale];
  const day = (d: Date) => formatDay(d, locale);
  // Names go into sentences and subjects: one line each, whatever the LMS sent.
  const vars: Vars = {
    holder: oneLine(facts.holderName), course: oneLine(facts.courseTitle),
    until: facts.validUntil ? day(facts.validUntil) : w.noExpiry, due: facts.dueAt && day(facts.dueAt),
  };
  const rows: [string, string][] = [[w.labels.course, vars.course]];
  if (facts.managerName !== undefined) rows.push([w.labels.holder, vars.holder]);
  rows.push([w.labels.number, oneLine(facts.certificateNumber)], [w.labels.validUntil, vars.until]);
  if (vars.due) rows.push([w.labels.dueAt, vars.due]);
  const { subject, paragraphs } = pick(w, vars);
  const parts: MessageParts = {
    locale, subject, paragraphs, facts: rows, footer: w.footer,
    greeting: w.greeting(oneLine(facts.managerName ?? facts.holderName)),
    link: { label: w.link, url: facts.verificationUrl },
  };
  return { kind, ...render(parts) };
}

/** To the learner, when their certificate is issued. */
export function certificateIssuedMessage(facts: CertificateFacts): Message {
  return compose('CERTIFICATE_ISSUED', facts, (w, v) => w.issued(v));
}

/** When the recertification window opens: to the holder, or with `managerName` to their manager. */
export function recertificationOpenedMessage(facts: ReminderFacts & { dueAt: Date }): Message {
  const toManager = facts.managerName !== undefined;
  const kind = toManager ? 'RECERTIFICATION_OPENED_MANAGER' : 'RECERTIFICATION_OPENED';
  return compose(kind, facts, (w, v) => w.recertificationOpened(v, toManager));
}

/** Shortly before expiry: to the holder, or with `managerName` to their manager. */
export function certificateExpiringMessage(facts: ReminderFacts): Message {
  const toManager = facts.managerName !== undefined;
  const kind = toManager ? 'CERTIFICATE_EXPIRING_MANAGER' : 'CERTIFICATE_EXPIRING';
  return compose(kind, facts, (w, v) => w.expiring(v, toManager));
}
