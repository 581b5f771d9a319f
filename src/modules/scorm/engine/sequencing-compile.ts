import { ManifestRefusal } from './manifest-refusal';
import { type RuleCondition, type RollupRule, type SequencingDefinition } from './sequencing-definition';
import { all, any, atLeast, not, size, type Formula } from './sequencing-formula';

/** A cluster's control modes (`imsss:controlMode`), which govern navigation among its children. */
export interface ClusterControls {
  id: string;
  choice: boolean;
  flow: boolean;
  forwardOnly: boolean;
}

/**
 * What a SCO's activity content keeps of its package's sequencing, frozen with the revision: the
 * clusters above it (the organization first, the parent last) and its conditions as formulas over
 * the package's SCOs (see sequencing-formula.ts).
 */
export interface ScoSequencing {
  path: ClusterControls[];
  /** `isvisible="false"`: not a required activity, never offered as a choice. */
  hidden?: boolean;
  /** A `disabled` pre-condition rule of the SCO or a cluster above it. */
  disabledWhen?: Formula;
  /** A `skip` pre-condition rule: flow passes over it. */
  skippedWhen?: Formula;
  /** A `hiddenFromChoice` pre-condition rule. */
  hiddenWhen?: Formula;
  /** The organization's completion after roll-up: when it holds, every SCO of the package counts as done. */
  packageCompletedWhen?: Formula;
}

/** An item of the organization's tree (the organization itself is the root). */
export interface SequencingNode {
  id: string;
  visible: boolean;
  /** A launchable item (it references a resource): a SCO. */
  sco: boolean;
  def: SequencingDefinition;
  children: SequencingNode[];
}

/** Largest formula stored per condition; real packages stay far below. */
const MAX_FORMULA = 4000;

/** Compiles the organization's tree into each SCO's sequencing, by SCO identifier. */
export function compileSequencing(root: SequencingNode): Map<string, ScoSequencing> {
  const compiler = new Compiler(root);
  const out = new Map<string, ScoSequencing>();
  const packageCompletedWhen = bounded(compiler.completed(root), root.id);
  const visit = (node: SequencingNode, ancestors: SequencingNode[]): void => {
    if (node.sco) {
      const chain = [...ancestors, node];
      const when = (action: 'skip' | 'disabled' | 'hiddenFromChoice') => bounded(any(chain.map((n) => compiler.preRule(n, action))), node.id);
      out.set(node.id, {
        path: ancestors.map((a) => ({ id: a.id, choice: a.def.choice, flow: a.def.flow, forwardOnly: a.def.forwardOnly })),
        ...(node.visible ? {} : { hidden: true }),
        ...optional('disabledWhen', when('disabled')),
        ...optional('skippedWhen', when('skip')),
        ...optional('hiddenWhen', when('hiddenFromChoice')),
        packageCompletedWhen,
      });
      return;
    }
    for (const c of node.children) visit(c, [...ancestors, node]);
  };
  visit(root, []);
  return out;
}

const optional = <K extends string>(key: K, f: Formula): Partial<Record<K, Formula>> => (f === false ? {} : ({ [key]: f } as Record<K, Formula>));

function bounded(f: Formula, id: string): Formula {
  if (size(f) > MAX_FORMULA) {
    throw new ManifestRefusal('INVALID_VALUE', `the sequencing rules around item "${id}" are too intricate to evaluate (more than ${MAX_FORMULA} conditions)`);
  }
  return f;
}

type Kind = 'completed' | 'satisfied';

/** Builds formulas for the tracking status of any node; cycles through shared objectives read as unknown. */
class Compiler {
  private readonly writers = new Map<string, SequencingNode[]>();
  private readonly visiting = new Set<string>();

  constructor(root: SequencingNode) {
    const index = (n: SequencingNode): void => {
      for (const target of n.def.objectives.find((o) => o.primary)?.writes ?? []) this.writers.set(target, [...(this.writers.get(target) ?? []), n]);
      n.children.forEach(index);
    };
    index(root);
  }

  private guard(key: string, build: () => Formula): Formula {
    if (this.visiting.has(key)) return false;
    this.visiting.add(key);
    try {
      return build();
    } finally {
      this.visiting.delete(key);
    }
  }

  completed(n: SequencingNode): Formula {
    return n.sco ? { sco: n.id, is: 'completed' } : this.guard(`c:${n.id}`, () => this.rollup(n, 'completed'));
  }

  /** Satisfaction from the node's own state or roll-up, before any shared objective is read. */
  private satisfiedRaw(n: SequencingNode): Formula {
    return n.sco ? { sco: n.id, is: 'satisfied' } : this.guard(`s:${n.id}`, () => this.rollup(n, 'satisfied'));
  }

  private knownRaw(n: SequencingNode): Formula {
    if (n.sco) return { sco: n.id, is: 'objectiveKnown' };
    return this.guard(`k:${n.id}`, () => any([this.satisfiedRaw(n), ...n.children.map((c) => all([this.considered(c, 'satisfied'), this.known(c)]))]));
  }

  /** A shared objective: satisfied when a writer's primary objective is, known when a writer's is. */
  private shared(target: string, what: 'satisfied' | 'known'): Formula {
    const writers = this.writers.get(target) ?? [];
    return this.guard(`g:${what}:${target}`, () => any(writers.map((w) => (what === 'satisfied' ? this.satisfiedRaw(w) : this.knownRaw(w)))));
  }

  /** A primary objective that reads a shared one takes its status while that status is known. */
  satisfied(n: SequencingNode): Formula {
    const read = n.def.objectives.find((o) => o.primary)?.reads[0];
    if (!read) return this.satisfiedRaw(n);
    return any([this.shared(read, 'satisfied'), all([not(this.shared(read, 'known')), this.satisfiedRaw(n)])]);
  }

  known(n: SequencingNode): Formula {
    const read = n.def.objectives.find((o) => o.primary)?.reads[0];
    return read ? any([this.shared(read, 'known'), this.knownRaw(n)]) : this.knownRaw(n);
  }

  private attempted(n: SequencingNode): Formula {
    return n.sco ? { sco: n.id, is: 'attempted' } : any(n.children.map((c) => this.attempted(c)));
  }

  private progressKnown(n: SequencingNode): Formula {
    return n.sco ? { sco: n.id, is: 'progressKnown' } : any([this.completed(n), ...n.children.map((c) => this.progressKnown(c))]);
  }

  /** The node's own pre-condition rules with this action. */
  preRule(n: SequencingNode, action: 'skip' | 'disabled' | 'hiddenFromChoice'): Formula {
    return any(n.def.preRules.filter((r) => r.action === action).map((r) => combine(r.combination, r.conditions.map((c) => this.condition(n, c)))));
  }

  /**
   * One condition, three-valued as SCORM has it: `not satisfied` holds only when the status is
   * known and not satisfied, so an unknown status fires neither a rule nor its negation.
   */
  private condition(n: SequencingNode, c: RuleCondition): Formula {
    const objective = c.objective ? n.def.objectives.find((o) => o.id === c.objective && !o.primary) : undefined;
    const read = objective?.reads[0];
    const sat = objective ? (read ? this.shared(read, 'satisfied') : false) : this.satisfied(n);
    const known = objective ? (read ? this.shared(read, 'known') : false) : this.known(n);
    const [holds, fails] = ((): [Formula, Formula] => {
      switch (c.condition) {
        case 'satisfied': return [sat, all([known, not(sat)])];
        case 'objectiveStatusKnown': return [known, not(known)];
        case 'completed': return [this.completed(n), all([this.progressKnown(n), not(this.completed(n))])];
        case 'activityProgressKnown': return [this.progressKnown(n), not(this.progressKnown(n))];
        case 'attempted': return [this.attempted(n), not(this.attempted(n))];
        case 'attemptLimitExceeded': {
          const limit = n.sco && n.def.attemptLimit ? ({ sco: n.id, is: 'attemptsAtLeast', n: n.def.attemptLimit } as Formula) : false;
          return [limit, not(limit)];
        }
        case 'always': return [true, false];
        // Measures, time limits and availability windows are not tracked: such a condition stays unknown.
        default: return [false, false];
      }
    })();
    return c.not ? fails : holds;
  }

  /** Whether a child counts in its parent's roll-up of this kind (tracked, rollup controls, considerations). */
  private considered(c: SequencingNode, kind: Kind): Formula {
    if (!c.def.tracked || !(kind === 'completed' ? c.def.rollupProgressCompletion : c.def.rollupObjectiveSatisfied)) return false;
    const required = kind === 'completed' ? c.def.requiredForCompleted : c.def.requiredForSatisfied;
    if (required === 'ifAttempted') return this.attempted(c);
    if (required === 'ifNotSkipped') return not(this.preRule(c, 'skip'));
    return true;
  }

  /** SN 4.6: the rules of this kind, or the default (all contributing children completed / satisfied). */
  private rollup(n: SequencingNode, kind: Kind): Formula {
    const [positive, negative] = kind === 'completed' ? ['completed', 'incomplete'] : ['satisfied', 'notSatisfied'];
    const own = n.def.rollupRules.filter((r) => r.action === positive || r.action === negative);
    if (own.length === 0) {
      return this.ruleHolds(n, { action: positive as RollupRule['action'], childSet: 'all', minCount: 0, minPercent: 0, combination: 'all', conditions: [{ condition: positive, not: false }] }, kind);
    }
    return any(own.filter((r) => r.action === positive).map((r) => this.ruleHolds(n, r, kind)));
  }

  private ruleHolds(n: SequencingNode, rule: RollupRule, kind: Kind): Formula {
    const kids = n.children.map((c) => ({ counts: this.considered(c, kind), meets: combine(rule.combination, rule.conditions.map((cond) => this.condition(c, cond))) }));
    const someCount = any(kids.map((k) => k.counts));
    switch (rule.childSet) {
      case 'all': return all([someCount, ...kids.map((k) => any([not(k.counts), k.meets]))]);
      case 'any': return any(kids.map((k) => all([k.counts, k.meets])));
      case 'none': return all([someCount, ...kids.map((k) => any([not(k.counts), not(k.meets)]))]);
      case 'atLeastCount': return atLeast(rule.minCount, kids.map((k) => all([k.counts, k.meets])));
      // The share is taken of all children: who counts can change with the learner's state.
      case 'atLeastPercent': return atLeast(Math.ceil(rule.minPercent * kids.length), kids.map((k) => all([k.counts, k.meets])));
    }
  }
}

const combine = (how: 'all' | 'any', parts: Formula[]): Formula => (parts.length === 0 ? false : how === 'all' ? all(parts) : any(parts));
