import { planAttempt, type Assessment, type MatchingQuestion } from '../../../src/modules/assessment/engine';
import { randomIndex, seededRandom, shuffled } from '../../../src/modules/assessment/engine/prng';
import { gradedAssessment, matching, ordering, single } from './fixtures';

const SEEDS = Array.from({ length: 200 }, (_, i) => `attempt-${i}`);

/** Twelve single-choice questions: four in pool "a", four in pool "b", four always asked. */
function pooled(overrides: Partial<Assessment['settings']> = {}): Assessment {
  const questions = Array.from({ length: 12 }, (_, i) => ({
    ...structuredClone(single),
    id: `q${i}`,
    tags: i < 4 ? ['a'] : i < 8 ? ['b', 'other'] : ['other'],
  }));
  return gradedAssessment({ draw: [{ tag: 'a', count: 2 }, { tag: 'b', count: 3 }], ...overrides }, questions);
}

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

describe('seeded randomness', () => {
  it('repeats a sequence for a seed and differs between seeds', () => {
    const take = (seed: string) => Array.from({ length: 5 }, seededRandom(seed));
    expect(take('x')).toEqual(take('x'));
    expect(take('x')).not.toEqual(take('y'));
  });

  it('draws indexes in range and shuffles into permutations', () => {
    const random = seededRandom('r');
    const seen = new Set(Array.from({ length: 500 }, () => randomIndex(random, 7)));
    expect(sorted([...seen].map(String))).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(sorted(shuffled(items, random))).toEqual(items);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('planAttempt', () => {
  it('is identical for the same seed (a reload) and varies between seeds', () => {
    const assessment = pooled({ shuffleQuestions: true, shuffleOptions: true });
    expect(planAttempt(assessment, 'attempt-1')).toEqual(planAttempt(structuredClone(assessment), 'attempt-1'));
    const distinct = new Set(SEEDS.slice(0, 20).map((seed) => JSON.stringify(planAttempt(assessment, seed))));
    expect(distinct.size).toBeGreaterThan(15);
  });

  it.each(SEEDS.slice(0, 50))('draws the pool counts without duplicates and keeps unpooled questions (%s)', (seed) => {
    const { questionIds } = planAttempt(pooled({ shuffleQuestions: true }), seed);
    expect(new Set(questionIds).size).toBe(questionIds.length);
    const index = (id: string) => Number(id.slice(1));
    expect(questionIds.filter((id) => index(id) < 4)).toHaveLength(2);
    expect(questionIds.filter((id) => index(id) >= 4 && index(id) < 8)).toHaveLength(3);
    expect(sorted(questionIds.filter((id) => index(id) >= 8))).toEqual(['q10', 'q11', 'q8', 'q9']);
  });

  it('gives every pooled question a chance', () => {
    const drawn = new Set(SEEDS.flatMap((seed) => planAttempt(pooled(), seed).questionIds));
    expect(drawn.size).toBe(12);
  });

  it('keeps the authored order and option order when shuffling is off', () => {
    const assessment = gradedAssessment({ shuffleQuestions: false, shuffleOptions: false });
    for (const seed of SEEDS.slice(0, 20)) {
      const plan = planAttempt(assessment, seed);
      expect(plan.questionIds).toEqual(assessment.questions.map((q) => q.id));
      expect(plan.optionOrder.single).toEqual(['a', 'b', 'c']);
      expect(plan.optionOrder.match.slice(0, 3)).toEqual(['l1', 'l2', 'l3']);
    }
  });

  it('shuffles questions and options when asked', () => {
    const assessment = gradedAssessment({ shuffleQuestions: true, shuffleOptions: true });
    const plans = SEEDS.slice(0, 30).map((seed) => planAttempt(assessment, seed));
    expect(new Set(plans.map((p) => p.questionIds.join())).size).toBeGreaterThan(1);
    expect(new Set(plans.map((p) => p.optionOrder.single.join())).size).toBeGreaterThan(1);
    for (const plan of plans) expect(sorted(plan.questionIds)).toEqual(sorted(assessment.questions.map((q) => q.id)));
  });

  it('has option orders only for questions with options, each a permutation', () => {
    const plan = planAttempt(gradedAssessment({ shuffleOptions: true }), 'seed');
    expect(Object.keys(plan.optionOrder).sort()).toEqual(['match', 'multiple', 'order', 'single']);
    expect(sorted(plan.optionOrder.match)).toEqual(['l1', 'l2', 'l3', 'r1', 'r2', 'r3', 'rx']);
  });

  it.each([false, true])('never presents an ordering in its correct order (shuffleOptions %p)', (shuffleOptions) => {
    const two = { ...ordering, id: 'two', options: ordering.options.slice(0, 2) };
    const assessment = gradedAssessment({ shuffleOptions }, [ordering, two]);
    for (const seed of SEEDS) {
      const plan = planAttempt(assessment, seed);
      expect(plan.optionOrder.order).not.toEqual(['s1', 's2', 's3', 's4']);
      expect(plan.optionOrder.two).toEqual(['s2', 's1']);
    }
  });

  it.each([false, true])('never lines the matching answers up with their prompts (shuffleOptions %p)', (shuffleOptions) => {
    const twoPairs: MatchingQuestion = {
      ...matching,
      id: 'pairs2',
      left: matching.left.slice(0, 2),
      right: matching.right.slice(0, 2),
      pairs: matching.pairs.slice(0, 2),
    };
    const assessment = gradedAssessment({ shuffleOptions }, [matching, twoPairs]);
    for (const seed of SEEDS) {
      for (const question of [matching, twoPairs]) {
        const order = planAttempt(assessment, seed).optionOrder[question.id];
        const lefts = order.filter((id) => id.startsWith('l'));
        const partners = lefts.map((l) => question.pairs.find((p) => p.left === l)?.right);
        const rights = order.filter((id) => question.pairs.some((p) => p.right === id));
        expect(rights).not.toEqual(partners);
      }
    }
  });

  it('never shows the answer column in the order the pairs were authored in either', () => {
    const assessment = gradedAssessment({ shuffleOptions: true }, [matching]);
    const authored = matching.pairs.map((p) => p.right);
    for (const seed of SEEDS) {
      const rights = planAttempt(assessment, seed).optionOrder[matching.id].filter((id) => authored.includes(id));
      expect({ seed, rights }).not.toEqual({ seed, rights: authored });
    }
  });
});
