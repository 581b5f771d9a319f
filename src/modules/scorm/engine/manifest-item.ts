import { parseDuration2004, parseTimespan12 } from './duration';
import { ManifestRefusal } from './manifest-refusal';
import { isTrue, readSequencing, type SequencingSettings } from './manifest-sequencing';
import { attr, child, children, text, type XmlElement } from './xml';

/** SCORM version of a package. */
export type ScormVersion = 'SCORM_1.2' | 'SCORM_2004';

/** What the SCO should do when its time runs out (`cmi.time_limit_action`). */
export type TimeLimitAction = 'exit,message' | 'exit,no message' | 'continue,message' | 'continue,no message';
const TIME_LIMIT_ACTIONS: readonly string[] = ['exit,message', 'exit,no message', 'continue,message', 'continue,no message'];

/** Per-item launch settings the run-time hands to the SCO or applies on commit. */
export interface ItemSettings extends SequencingSettings {
  /** SCORM 1.2 `adlcp:masteryscore`, 0-100, compared with `cmi.core.score.raw`. */
  masteryScore?: number;
  /** SCORM 2004 primary objective's `minNormalizedMeasure` when `satisfiedByMeasure` is true. */
  scaledPassingScore?: number;
  /** SCORM 2004 `adlcp:completionThreshold`, 0-1, compared with `cmi.progress_measure`. */
  completionThreshold?: number;
  /** `adlcp:datafromlms` / `adlcp:dataFromLMS`, handed to the SCO as `cmi.launch_data`. */
  dataFromLms?: string;
  timeLimitAction?: TimeLimitAction;
  /** As written: a 1.2 timespan (`02:30:00`) or a 2004 duration (`PT2H30M`). */
  maxTimeAllowed?: string;
}

/** Reads an `<item>`'s ADL extension elements; refuses values outside their SCORM value space. */
export function readItemSettings(item: XmlElement, version: ScormVersion, itemId: string, sequencing?: XmlElement): ItemSettings {
  // ADL extension names are matched case-insensitively: 1.2 spells them in lower case, 2004 in
  // camel case, and packages mix the two.
  const settings: ItemSettings = {
    dataFromLms: text(child(item, 'datafromlms', true)) || undefined,
    timeLimitAction: readTimeLimitAction(item, itemId),
  };
  return version === 'SCORM_1.2' ? { ...settings, ...read12(item, itemId) } : { ...settings, ...read2004(item, itemId, sequencing) };
}

function read12(item: XmlElement, itemId: string): ItemSettings {
  const masteryScore = decimal(text(child(item, 'masteryscore', true)), `masteryscore of item "${itemId}"`, 0, 100);
  const maxTimeAllowed = text(child(item, 'maxtimeallowed', true)) || undefined;
  if (maxTimeAllowed !== undefined && parseTimespan12(maxTimeAllowed) === null) {
    throw invalid(`maxtimeallowed of item "${itemId}" is "${maxTimeAllowed}", not a HHHH:MM:SS.SS timespan`);
  }
  return { masteryScore, maxTimeAllowed };
}

/** `sequencing` is the item's effective sequencing (its IDRef into the collection resolved). */
function read2004(item: XmlElement, itemId: string, sequencing: XmlElement | undefined): ItemSettings {
  const maxTimeAllowed = attr(child(sequencing, 'limitConditions'), 'attemptAbsoluteDurationLimit')?.trim() || undefined;
  if (maxTimeAllowed !== undefined && parseDuration2004(maxTimeAllowed) === null) {
    throw invalid(`attemptAbsoluteDurationLimit of item "${itemId}" is "${maxTimeAllowed}", not an ISO 8601 duration`);
  }
  return {
    ...readSequencing(sequencing),
    maxTimeAllowed,
    completionThreshold: readCompletionThreshold(item, itemId),
    scaledPassingScore: readScaledPassingScore(sequencing, itemId),
  };
}

/**
 * 3rd edition writes the threshold as the element's text; 4th edition uses attributes, where
 * `minProgressMeasure` (default 1.0) only counts when `completedByMeasure="true"` (SN book 3.14:
 * otherwise progress is not used to decide completion, and a `progressWeight`-only element is
 * about rollup, not about this SCO's completion).
 */
function readCompletionThreshold(item: XmlElement, itemId: string): number | undefined {
  const element = child(item, 'completionThreshold', true);
  if (element === undefined) return undefined;
  const what = `completionThreshold of item "${itemId}"`;
  const fromText = decimal(text(element), what, 0, 1);
  if (fromText !== undefined) return fromText;
  if (!isTrue(attr(element, 'completedByMeasure'))) return undefined;
  return decimal(attr(element, 'minProgressMeasure')?.trim() ?? '', what, 0, 1) ?? 1;
}

/** RTE 4.2.21: `cmi.scaled_passing_score` comes from the primary objective when satisfied by measure. */
function readScaledPassingScore(sequencing: XmlElement | undefined, itemId: string): number | undefined {
  const primary = children(sequencing, 'objectives')
    .map((objectives) => child(objectives, 'primaryObjective'))
    .find((objective) => objective !== undefined);
  if (!isTrue(attr(primary, 'satisfiedByMeasure'))) return undefined;
  const measure = text(child(primary, 'minNormalizedMeasure'));
  // IMS SS gives minNormalizedMeasure a default of 1.0 when the element is absent.
  return decimal(measure, `minNormalizedMeasure of item "${itemId}"`, -1, 1) ?? 1;
}

function readTimeLimitAction(item: XmlElement, itemId: string): TimeLimitAction | undefined {
  const value = text(child(item, 'timelimitaction', true)).toLowerCase();
  if (!value) return undefined;
  if (!TIME_LIMIT_ACTIONS.includes(value)) {
    throw invalid(`timeLimitAction of item "${itemId}" is "${value}", not one of ${TIME_LIMIT_ACTIONS.join(' | ')}`);
  }
  return value as TimeLimitAction;
}

/** A decimal in [min, max]; undefined for an empty string. */
function decimal(value: string, what: string, min: number, max: number): number | undefined {
  if (value === '') return undefined;
  const number = /^[-+]?(\d+\.?\d*|\.\d+)$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) throw invalid(`${what} is "${value}", not a number from ${min} to ${max}`);
  return number;
}


function invalid(reason: string): ManifestRefusal {
  return new ManifestRefusal('INVALID_VALUE', reason);
}
