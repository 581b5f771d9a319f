import { attr, child, children, type XmlElement } from './xml';

/** What an item's `imsss:sequencing` says about the run-time data of its SCO. */
export interface SequencingSettings {
  /**
   * The objective ids the manifest declares (`primaryObjective` first, then each `objective`),
   * which the SCO expects to find in `cmi.objectives` at launch (RTE 4.2.17).
   */
  objectiveIds?: string[];
  /** The primary objective's id: its status and score stand for the SCO's own when the SCO reports only the objective. */
  primaryObjectiveId?: string;
  /** `deliveryControls completionSetByContent="true"`: the LMS never decides completion. */
  completionSetByContent?: boolean;
  /** `deliveryControls objectiveSetByContent="true"`: the LMS never decides success. */
  objectiveSetByContent?: boolean;
  /** `limitConditions attemptLimit`: how many attempts the learner may start (absent or 0: no limit). */
  attemptLimit?: number;
}

/** Reads the objective ids and delivery controls of a SCORM 2004 item's `<imsss:sequencing>`. */
export function readSequencing(sequencing: XmlElement | undefined): SequencingSettings {
  const objectives = child(sequencing, 'objectives');
  const primaryObjectiveId = attr(child(objectives, 'primaryObjective'), 'objectiveID')?.trim() || undefined;
  const others = children(objectives, 'objective').map((o) => attr(o, 'objectiveID')?.trim() ?? '').filter((id) => id !== '');
  const objectiveIds = [...new Set([...(primaryObjectiveId ? [primaryObjectiveId] : []), ...others])];
  const controls = child(sequencing, 'deliveryControls');
  return {
    objectiveIds: objectiveIds.length ? objectiveIds : undefined,
    primaryObjectiveId,
    completionSetByContent: isTrue(attr(controls, 'completionSetByContent')) || undefined,
    objectiveSetByContent: isTrue(attr(controls, 'objectiveSetByContent')) || undefined,
    attemptLimit: attemptLimit(attr(child(sequencing, 'limitConditions'), 'attemptLimit')),
  };
}

/** xs:nonNegativeInteger; 0 means no limit, as does anything that is not a count. */
function attemptLimit(value: string | undefined): number | undefined {
  const trimmed = value?.trim() ?? '';
  if (!/^\d{1,9}$/.test(trimmed)) return undefined;
  return Number(trimmed) || undefined;
}

/** xs:boolean: "true" or "1". */
export function isTrue(value: string | undefined): boolean {
  const trimmed = value?.trim();
  return trimmed === 'true' || trimmed === '1';
}
