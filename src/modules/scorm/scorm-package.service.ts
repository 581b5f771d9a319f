import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { RequestContext } from '../../shared/context';
import { newId } from '../../shared/ids';
import { paginate, type PageArgs } from '../../shared/pagination';
import { Permission } from '../../shared/permissions';
import { UserErrorCode, userError } from '../../shared/payload';
import { getEntityOrThrow } from '../../shared/scoped';
import { auditService } from '../audit/audit.service';
import { parseManifest, type Manifest } from './engine/manifest';
import { extractPackage, PackageError } from './engine/unzip';
import { launchHrefProblem } from './engine/href';
import { ScormPackage, ScormVersion } from './scorm-package.entity';
import { msg } from '../../shared/i18n/message';

/** Folder of one package's files: <contentDir>/<organization>/<package>. */
export function packageDir(ctx: RequestContext, packageId: string): string {
  return path.resolve(ctx.deps.config.contentDir, ctx.orgId, packageId);
}

/** Refuses a package whose SCOs launch anything but one of its own files. */
function checkLaunchHrefs(files: string[], manifest: Manifest): void {
  const inPackage = new Set(files);
  for (const sco of manifest.scos) {
    const problem = launchHrefProblem(sco.launchHref, inPackage);
    if (problem) throw new PackageError('INVALID_LAUNCH_HREF', `"${sco.title}" launches ${sco.launchHref}, which ${problem}`);
  }
}

export const scormPackageService = {
  /**
   * Unpacks and registers a SCORM zip. A refused package (unsafe zip, bad manifest, missing launch
   * file) is a payload error with the reason, and leaves no files or rows behind.
   */
  async importZip(ctx: RequestContext, zipPath: string, originalName: string | null, onProgress?: (done: number, total: number) => void): Promise<ScormPackage> {
    ctx.assert(Permission.COURSES_AUTHOR);
    const id = newId();
    const root = packageDir(ctx, id);
    try {
      const { files, totalBytes } = await extractPackage(zipPath, root, {}, onProgress);
      const parsed = parseManifest(await readFile(path.join(root, 'imsmanifest.xml'), 'utf8'));
      if (!parsed.ok) throw userError(UserErrorCode.INVALID, msg('imsmanifest.xml: {reason}', { reason: parsed.reason }), ['file']);
      checkLaunchHrefs(files, parsed.manifest);
      const pkg = ctx.manager.create(ScormPackage, {
        id, organizationId: ctx.orgId, title: parsed.manifest.title.slice(0, 500), version: parsed.manifest.version === 'SCORM_1.2' ? ScormVersion.SCORM_12 : ScormVersion.SCORM_2004,
        edition: parsed.manifest.edition ?? null, scos: parsed.manifest.scos, fileCount: files.length, totalBytes, originalName: originalName?.slice(0, 255) ?? null, uploadedBy: ctx.actor,
      });
      await ctx.manager.insert(ScormPackage, pkg);
      await auditService.record(ctx, { action: 'scorm.import', entityType: 'ScormPackage', entityId: id, after: { title: pkg.title, version: pkg.version, scos: pkg.scos.length, files: files.length } });
      return getEntityOrThrow(ctx, ScormPackage, id, 'SCORM package');
    } catch (err) {
      await rm(root, { recursive: true, force: true });
      if (err instanceof PackageError) throw userError(UserErrorCode.INVALID, err.reason, ['file']);
      throw err;
    }
  },

  async list(ctx: RequestContext, page: PageArgs) {
    ctx.assert(Permission.COURSES_AUTHOR);
    const qb = ctx.manager.createQueryBuilder(ScormPackage, 'p').where('p.organization_id = :org', { org: ctx.orgId });
    return paginate(qb, page, ctx.deps.config.limits.pageSize, [
      { sql: "date_trunc('milliseconds', p.created_at)", key: (p) => p.createdAt.toISOString(), kind: 'timestamp' },
      { sql: 'p.id', key: (p) => p.id, kind: 'uuid' },
    ], 'DESC');
  },

  findOne(ctx: RequestContext, id: string): Promise<ScormPackage> {
    ctx.assert(Permission.COURSES_AUTHOR);
    return getEntityOrThrow(ctx, ScormPackage, id, 'SCORM package');
  },
};
