import type { Sco, ScormVersion } from './engine/manifest';
import type { Thresholds } from './engine/cmi';

/** What a SCORM activity's `content` holds: the package, the item and its launch settings. */
export interface ScormActivityContent extends Sco {
  packageId: string;
  version: ScormVersion;
}

/** The rules the server applies on every commit, from the manifest. */
export function thresholdsOf(content: ScormActivityContent): Thresholds {
  return content.version === 'SCORM_1.2'
    ? { masteryScore: content.masteryScore }
    : {
      completionThreshold: content.completionThreshold, scaledPassingScore: content.scaledPassingScore, primaryObjectiveId: content.primaryObjectiveId,
      completionSetByContent: content.completionSetByContent, objectiveSetByContent: content.objectiveSetByContent,
    };
}

/** True when the activity content is a SCORM item (and not an empty placeholder). */
export function isScormContent(content: unknown): content is ScormActivityContent {
  const c = content as Partial<ScormActivityContent> | null;
  return !!c && typeof c.packageId === 'string' && typeof c.launchHref === 'string';
}
