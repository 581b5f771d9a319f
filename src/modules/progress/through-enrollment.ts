import type { Enrollment } from '../enrollment/enrollment.entity';

const LEARNER_ENROLLMENT = Symbol('learnerEnrollment');

/**
 * Marks a row reached through an enrollment (its course, revision, modules, activities, progress),
 * so that progress below it resolves for that enrollment's learner rather than for the viewer. The
 * row is wrapped, not changed: loaders share their rows across the request.
 */
export function throughEnrollment<T extends object>(row: T, enrollment: Enrollment): T {
  return Object.assign(Object.create(row) as T, { [LEARNER_ENROLLMENT]: enrollment });
}

/** The enrollment a row was reached through, if any. */
export function enrollmentOf(row: object): Enrollment | undefined {
  return (row as { [LEARNER_ENROLLMENT]?: Enrollment })[LEARNER_ENROLLMENT];
}

/** Carries the enrollment of `parent` (if any) over to the rows below it. */
export function carryEnrollment<T extends object>(parent: object, rows: T[]): T[] {
  const enrollment = enrollmentOf(parent);
  return enrollment ? rows.map((row) => throughEnrollment(row, enrollment)) : rows;
}
