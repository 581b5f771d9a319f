/** The status list every organization publishes (one list; see STATUS_LIST_LENGTH). */
export const STATUS_LIST_NUMBER = 1;

/**
 * Bits in a status list: 131,072 (16 KB), the Bitstring Status List minimum, so a list does not
 * tell which few certificates exist. Certificates take their `statusListIndex` below it.
 */
export const STATUS_LIST_LENGTH = 131_072;

/** The stable public URLs of an organization's Open Badges documents. */
export interface BadgeUrls {
  /** The issuer profile, also the controller document of the organization's keys. */
  issuer: string;
  statusList: string;
  verificationMethod(keyId: string): string;
}

export function badgeUrls(publicUrl: string, organizationId: string): BadgeUrls {
  const base = `${publicUrl}/orgs/${organizationId}`;
  return {
    issuer: `${base}/issuer`,
    statusList: `${base}/status-list/${STATUS_LIST_NUMBER}`,
    verificationMethod: (keyId) => `${base}/keys/${keyId}`,
  };
}
