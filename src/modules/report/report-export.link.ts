import path from 'node:path';
import { errors, jwtVerify } from 'jose';
import type { Config } from '../../config';
import { signToken } from '../../shared/signed-token';
import type { ReportExport } from './report-export.entity';

/** The purpose signed into export links, so no other kind of token opens a file. */
export const EXPORT_LINK = 'report-export';

/** What a download link names: a tenant, an export and its file. */
export interface ExportLink {
  organizationId: string;
  exportId: string;
  fileName: string;
}

/** The folder of a tenant's export files, under the data directory. */
export const exportDir = (config: Config, organizationId: string): string => path.resolve(config.dataDir, 'exports', organizationId);

/**
 * A download URL for a finished export: a signed token in the path (a browser follows it without
 * the bearer), living `linkTtlSeconds` at most and never past the file's expiry.
 */
export async function exportLinkOf(config: Config, secret: string, e: ReportExport, now = Date.now()): Promise<string | null> {
  if (!e.fileName || !e.expiresAt || e.expiresAt.getTime() <= now) return null;
  const ttl = Math.min(config.exports.linkTtlSeconds, Math.floor((e.expiresAt.getTime() - now) / 1000));
  if (ttl < 1) return null;
  const token = await signToken(secret, EXPORT_LINK, { o: e.organizationId, x: e.id, f: e.fileName }, ttl);
  return `${config.publicUrl}/reports/exports/${token}`;
}

/**
 * Reads a link's token: its claims, `expired` for a genuine link past its time (jose checks the
 * signature before the expiry), or `invalid` for anything else.
 */
export async function readExportLink(secret: string, token: string): Promise<ExportLink | 'expired' | 'invalid'> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    const { o, x, f, pur } = payload as Record<string, unknown>;
    if (pur !== EXPORT_LINK || typeof o !== 'string' || typeof x !== 'string' || typeof f !== 'string') return 'invalid';
    return { organizationId: o, exportId: x, fileName: f };
  } catch (err) {
    return err instanceof errors.JWTExpired ? 'expired' : 'invalid';
  }
}
