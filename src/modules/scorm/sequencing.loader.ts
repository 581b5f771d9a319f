import DataLoader from 'dataloader';
import { defineLoader } from '../../shared/loaders';
import { isScormContent, type ScormActivityContent } from './scorm-activity';
import type { SequencedSco } from './sequencing.rules';

/** A SCO activity of a revision with the package it belongs to, in flow order. */
export interface PackagePlace {
  scos: SequencedSco[];
  /** Activity keys of `scos`, index for index: progress is kept by key. */
  keys: string[];
  index: number;
}

/**
 * The SCORM activities of a revision grouped by package, in course order (module, then activity
 * position, which follows the manifest's order), by activity id. One statement per batch.
 */
export const scormPlacesByRevision = defineLoader(
  (ctx) =>
    new DataLoader<string, Map<string, PackagePlace>>(async (revisionIds) => {
      const rows = (await ctx.manager.query(
        `SELECT a.id, a.key, a.revision_id AS "revisionId", a.content
           FROM activity a JOIN course_module m ON m.organization_id = a.organization_id AND m.id = a.module_id
          WHERE a.organization_id = $1 AND a.revision_id = ANY($2::uuid[]) AND a.kind = 'SCORM'
          ORDER BY m.position, a.position, a.id`,
        [ctx.orgId, revisionIds],
      )) as { id: string; key: string; revisionId: string; content: unknown }[];
      const groups = new Map<string, { scos: SequencedSco[]; keys: string[] }>();
      const places = new Map<string, Map<string, PackagePlace>>(revisionIds.map((id) => [id, new Map()]));
      for (const row of rows) {
        if (!isScormContent(row.content)) continue;
        const content = row.content as ScormActivityContent;
        const groupKey = `${row.revisionId}:${content.packageId}`;
        const group = groups.get(groupKey) ?? { scos: [], keys: [] };
        groups.set(groupKey, group);
        group.scos.push(sequencedSco(row.id, content));
        group.keys.push(row.key);
        places.get(row.revisionId)!.set(row.id, { ...group, index: group.scos.length - 1 });
      }
      return revisionIds.map((id) => places.get(id)!);
    }),
);

/** A SCO without sequencing in its package behaves as SCORM's defaults have it: free choice. */
export function sequencedSco(activityId: string, content: ScormActivityContent): SequencedSco {
  return {
    activityId, identifier: content.identifier, title: content.title,
    sequencing: content.sequencing ?? { path: [] },
    ...(content.attemptLimit !== undefined ? { attemptLimit: content.attemptLimit } : {}),
  };
}

/** Activity ids with an attempt not finished (open or suspended), per enrollment id. One statement per batch. */
export const unfinishedAttemptsByEnrollment = defineLoader(
  (ctx) =>
    new DataLoader<string, Set<string>>(async (enrollmentIds) => {
      const rows = (await ctx.manager.query(
        `SELECT enrollment_id AS "enrollmentId", activity_id AS "activityId" FROM activity_attempt
          WHERE organization_id = $1 AND enrollment_id = ANY($2::uuid[]) AND status <> 'FINISHED'`,
        [ctx.orgId, enrollmentIds],
      )) as { enrollmentId: string; activityId: string }[];
      const sets = new Map<string, Set<string>>(enrollmentIds.map((id) => [id, new Set()]));
      for (const row of rows) sets.get(row.enrollmentId)?.add(row.activityId);
      return enrollmentIds.map((id) => sets.get(id)!);
    }),
);
