import { attr, child, children, localName, type XmlElement, type XmlObject } from './xml';

/** A `ruleCondition` / `rollupCondition`: a condition on an activity or one of its objectives. */
export interface RuleCondition {
  condition: string;
  not: boolean;
  /** `referencedObjective` (sequencing rules only); absent means the activity's primary objective. */
  objective?: string;
}

/** A `preConditionRule` whose action the server acts on. */
export interface PreConditionRule {
  action: 'skip' | 'disabled' | 'hiddenFromChoice';
  combination: 'all' | 'any';
  conditions: RuleCondition[];
}

export type RollupAction = 'satisfied' | 'notSatisfied' | 'completed' | 'incomplete';

/** A `rollupRule`: which children (all, any, none, at least n or p) meet the conditions. */
export interface RollupRule {
  action: RollupAction;
  childSet: 'all' | 'any' | 'none' | 'atLeastCount' | 'atLeastPercent';
  minCount: number;
  minPercent: number;
  combination: 'all' | 'any';
  conditions: RuleCondition[];
}

/** When an activity counts in its parent's roll-up (`adlseq:rollupConsiderations`). */
export type Consideration = 'always' | 'ifAttempted' | 'ifNotSkipped' | 'ifNotSuspended';

/** An objective and the shared (global) objectives its satisfaction is read from or written to. */
export interface ObjectiveDefinition {
  id: string;
  primary: boolean;
  reads: string[];
  writes: string[];
}

/** What an item's (or organization's) effective `imsss:sequencing` says, defaults applied. */
export interface SequencingDefinition {
  choice: boolean;
  flow: boolean;
  forwardOnly: boolean;
  preRules: PreConditionRule[];
  rollupRules: RollupRule[];
  /** This activity counts in its parent's satisfaction / completion roll-up. */
  rollupObjectiveSatisfied: boolean;
  rollupProgressCompletion: boolean;
  requiredForSatisfied: Consideration;
  requiredForCompleted: Consideration;
  tracked: boolean;
  attemptLimit?: number;
  objectives: ObjectiveDefinition[];
}

/** `imsss:sequencingCollection`'s sequencing sets by ID. */
export function sequencingCollection(root: XmlElement): Map<string, XmlElement> {
  const byId = new Map<string, XmlElement>();
  for (const s of children(child(root, 'sequencingCollection'), 'sequencing')) {
    const id = attr(s, 'ID')?.trim();
    if (id) byId.set(id, s);
  }
  return byId;
}

/**
 * An element's effective `imsss:sequencing`: the set its `IDRef` names in the collection, with
 * each child element the item itself declares replacing the collection's (SN book 3.2).
 */
export function effectiveSequencing(owner: XmlElement, collection: Map<string, XmlElement>): XmlElement | undefined {
  const own = child(owner, 'sequencing');
  const ref = attr(own, 'IDRef')?.trim();
  const shared = ref ? collection.get(ref) : undefined;
  if (shared === undefined || typeof shared === 'string') return own;
  if (own === undefined || typeof own === 'string') return shared;
  const declared = new Set(Object.keys(own).filter((k) => !k.startsWith('@_') && !k.startsWith('#')).map(localName));
  const merged: XmlObject = {};
  for (const [key, value] of Object.entries(shared)) if (key.startsWith('@_') || !declared.has(localName(key))) merged[key] = value;
  return Object.assign(merged, own);
}

const bool = (value: string | undefined, fallback: boolean): boolean => {
  const v = value?.trim();
  return v === undefined || v === '' ? fallback : v === 'true' || v === '1';
};

/** Reads an effective sequencing element; absent elements take the IMS SS defaults. */
export function readDefinition(sequencing: XmlElement | undefined): SequencingDefinition {
  const control = child(sequencing, 'controlMode');
  const rollup = child(sequencing, 'rollupRules');
  const considerations = child(sequencing, 'rollupConsiderations');
  const limit = attr(child(sequencing, 'limitConditions'), 'attemptLimit')?.trim() ?? '';
  return {
    choice: bool(attr(control, 'choice'), true),
    flow: bool(attr(control, 'flow'), false),
    forwardOnly: bool(attr(control, 'forwardOnly'), false),
    preRules: children(child(sequencing, 'sequencingRules'), 'preConditionRule').map(readPreRule).filter((r): r is PreConditionRule => r !== undefined),
    rollupRules: children(rollup, 'rollupRule').map(readRollupRule).filter((r): r is RollupRule => r !== undefined),
    rollupObjectiveSatisfied: bool(attr(rollup, 'rollupObjectiveSatisfied'), true),
    rollupProgressCompletion: bool(attr(rollup, 'rollupProgressCompletion'), true),
    requiredForSatisfied: consideration(attr(considerations, 'requiredForSatisfied')),
    requiredForCompleted: consideration(attr(considerations, 'requiredForCompleted')),
    tracked: bool(attr(child(sequencing, 'deliveryControls'), 'tracked'), true),
    attemptLimit: /^\d{1,9}$/.test(limit) && Number(limit) > 0 ? Number(limit) : undefined,
    objectives: readObjectives(child(sequencing, 'objectives')),
  };
}

function consideration(value: string | undefined): Consideration {
  const v = value?.trim();
  return v === 'ifAttempted' || v === 'ifNotSkipped' || v === 'ifNotSuspended' ? v : 'always';
}

function readConditions(list: XmlElement | undefined, name: string): { combination: 'all' | 'any'; conditions: RuleCondition[] } {
  const combination = attr(list, 'conditionCombination')?.trim() === 'any' ? 'any' : 'all';
  const conditions = children(list, name).map((c) => ({
    condition: attr(c, 'condition')?.trim() ?? '',
    not: attr(c, 'operator')?.trim() === 'not',
    ...(attr(c, 'referencedObjective')?.trim() ? { objective: attr(c, 'referencedObjective')!.trim() } : {}),
  }));
  return { combination, conditions };
}

function readPreRule(rule: XmlElement): PreConditionRule | undefined {
  const action = attr(child(rule, 'ruleAction'), 'action')?.trim();
  if (action !== 'skip' && action !== 'disabled' && action !== 'hiddenFromChoice') return undefined;
  return { action, ...readConditions(child(rule, 'ruleConditions'), 'ruleCondition') };
}

const ROLLUP_ACTIONS: readonly string[] = ['satisfied', 'notSatisfied', 'completed', 'incomplete'];
const CHILD_SETS: readonly string[] = ['all', 'any', 'none', 'atLeastCount', 'atLeastPercent'];

function readRollupRule(rule: XmlElement): RollupRule | undefined {
  const action = attr(child(rule, 'rollupAction'), 'action')?.trim() ?? '';
  if (!ROLLUP_ACTIONS.includes(action)) return undefined;
  const childSet = attr(rule, 'childActivitySet')?.trim() || 'all';
  return {
    action: action as RollupAction,
    childSet: (CHILD_SETS.includes(childSet) ? childSet : 'all') as RollupRule['childSet'],
    minCount: Math.max(0, Number(attr(rule, 'minimumCount') ?? 0) || 0),
    minPercent: Math.min(1, Math.max(0, Number(attr(rule, 'minimumPercent') ?? 0) || 0)),
    ...readConditions(child(rule, 'rollupConditions'), 'rollupCondition'),
  };
}

function readObjectives(objectives: XmlElement | undefined): ObjectiveDefinition[] {
  const read = (o: XmlElement, primary: boolean): ObjectiveDefinition => {
    const maps = children(o, 'mapInfo');
    const target = (m: XmlElement) => attr(m, 'targetObjectiveID')?.trim() ?? '';
    return {
      id: attr(o, 'objectiveID')?.trim() ?? '',
      primary,
      // readSatisfiedStatus defaults to true, writeSatisfiedStatus to false (IMS SS).
      reads: maps.filter((m) => bool(attr(m, 'readSatisfiedStatus'), true)).map(target).filter(Boolean),
      writes: maps.filter((m) => bool(attr(m, 'writeSatisfiedStatus'), false)).map(target).filter(Boolean),
    };
  };
  return [
    ...children(objectives, 'primaryObjective').slice(0, 1).map((o) => read(o, true)),
    ...children(objectives, 'objective').map((o) => read(o, false)),
  ];
}

/** `isvisible` on an item: only "false" hides it. */
export const isVisible = (item: XmlElement): boolean => bool(attr(item, 'isvisible'), true);

/** Whether the organization uses sequencing at all (any sequencing element, or a hidden item). */
export function usesSequencing(organization: XmlElement): boolean {
  const visit = (el: XmlElement): boolean =>
    child(el, 'sequencing') !== undefined || children(el, 'item').some((item) => !isVisible(item) || visit(item));
  return visit(organization);
}
