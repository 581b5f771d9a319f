import type { BadgeUrls } from './open-badge.urls';
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from './vc-stack';

/** What an Open Badge says about one certificate; the certificate module fills it in. */
export interface BadgeSubject {
  certificateId: string;
  certificateNumber: string;
  /** The holder's name as it was at issue. */
  holderName: string;
  course: { id: string; code: string; title: string; description: string };
  issuedAt: Date;
  validFrom: Date;
  validUntil: Date | null;
  /** The certificate's bit in its organization's status list, unique per organization. */
  statusListIndex: number;
  organization: { id: string; name: string };
  /** The certificate's public verify page. */
  verificationUrl: string;
}

/** XSD dateTimeStamp to the second, as verifiers print it. */
export const xsdDateTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The unsigned `OpenBadgeCredential` (VC data model 2.0, Open Badges 3.0 context): the course is
 * the achievement, the holder the subject (named by an unhashed IdentityObject), the verify page
 * the evidence, and the status list entry is the certificate's revocation bit.
 */
export function openBadgeCredential(subject: BadgeSubject, urls: BadgeUrls): Record<string, unknown> {
  const { course, statusListIndex } = subject;
  return {
    '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: `urn:uuid:${subject.certificateId}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: course.title,
    issuer: { id: urls.issuer, type: ['Profile'], name: subject.organization.name },
    validFrom: xsdDateTime(subject.validFrom),
    ...(subject.validUntil ? { validUntil: xsdDateTime(subject.validUntil) } : {}),
    awardedDate: xsdDateTime(subject.issuedAt),
    credentialSubject: {
      type: ['AchievementSubject'],
      name: subject.holderName,
      identifier: [{ type: 'IdentityObject', identityType: 'name', identityHash: subject.holderName, hashed: false }],
      achievement: {
        id: `urn:uuid:${course.id}`,
        type: ['Achievement'],
        achievementType: 'Certificate',
        humanCode: course.code,
        name: course.title,
        description: course.description || course.title,
        criteria: { narrative: `Completed the course ${course.code} "${course.title}" and met its certification rule.` },
      },
    },
    evidence: [{ id: subject.verificationUrl, type: ['Evidence'], name: subject.certificateNumber }],
    credentialStatus: {
      id: `${urls.statusList}#${statusListIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(statusListIndex),
      statusListCredential: urls.statusList,
    },
  };
}
