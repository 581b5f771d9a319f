import type { Locale } from '../../shared/context';

/** Where a learner lands: their courses, a course's outline, or one activity of it. */
export interface LearnerViewTarget {
  /** A Course global id; without it the learner's enrollments are shown. */
  courseId?: string;
  /** An Activity global id of that course (needs courseId). */
  activityId?: string;
  /** The page's language; without it the browser's. */
  lang?: Locale;
}

/**
 * The learner view's URL for a launch (LTI or any link): `/learn?course=…&activity=…&lang=…`, the
 * bearer credential in the fragment (`#token=…`), which browsers never send to a server; the page
 * moves it into sessionStorage and removes it from the address.
 */
export function learnerViewUrl(publicUrl: string, target: LearnerViewTarget, token: string): string {
  // Under PUBLIC_URL's path, as every URL the service hands out.
  const url = new URL(`${publicUrl.replace(/\/+$/, '')}/learn`);
  if (target.courseId) url.searchParams.set('course', target.courseId);
  if (target.courseId && target.activityId) url.searchParams.set('activity', target.activityId);
  if (target.lang) url.searchParams.set('lang', target.lang);
  url.hash = `token=${encodeURIComponent(token)}`;
  return url.toString();
}
