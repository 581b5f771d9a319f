import { UserErrorCode } from '../../shared/payload';
import type { InputCheck } from '../../shared/validate';
import { ActivityKind, CompletionKind, type ActivityContent } from './content.entity';
import type { CompletionRuleInput, PageContentInput, VideoContentInput } from './content.inputs';
import { checkHttpsUrl } from './course.fields';
import { sanitizeRichText } from './sanitize';
import { msg } from '../../shared/i18n/message';

const MAX_HTML = 200_000;

/** Which completion rules make sense for each kind (a page has no score, a video no pass). */
const RULES: Record<ActivityKind, CompletionKind[]> = {
  [ActivityKind.PAGE]: [CompletionKind.VIEWED],
  [ActivityKind.VIDEO]: [CompletionKind.VIEWED, CompletionKind.PROGRESS],
  [ActivityKind.SCORM]: [CompletionKind.VIEWED, CompletionKind.PROGRESS, CompletionKind.PASSED, CompletionKind.SCORE],
  [ActivityKind.ASSESSMENT]: [CompletionKind.VIEWED, CompletionKind.PASSED, CompletionKind.SCORE],
};

const DEFAULT_RULES: Record<ActivityKind, CompletionRuleInput> = {
  [ActivityKind.PAGE]: { kind: CompletionKind.VIEWED },
  [ActivityKind.VIDEO]: { kind: CompletionKind.PROGRESS, threshold: 0.9 },
  [ActivityKind.SCORM]: { kind: CompletionKind.VIEWED },
  [ActivityKind.ASSESSMENT]: { kind: CompletionKind.PASSED },
};

/** A checked completion rule as stored. */
export interface CheckedRule {
  completionKind: CompletionKind;
  completionThreshold: number | null;
}

/** Checks a completion rule against the activity kind; the kind's default when none is given. */
export function checkCompletion(check: InputCheck, kind: ActivityKind, input: CompletionRuleInput | null | undefined, path: (string | number)[]): CheckedRule {
  const rule = input ?? DEFAULT_RULES[kind];
  const needsThreshold = rule.kind === CompletionKind.PROGRESS || rule.kind === CompletionKind.SCORE;
  const threshold = rule.threshold ?? null;
  if (!RULES[kind].includes(rule.kind)) {
    check.add(UserErrorCode.INVALID, msg('{rule} does not apply to {kind} activities (use {allowed})', { rule: rule.kind, kind, allowed: RULES[kind].join(' or ') }), [...path, 'kind']);
  } else if (needsThreshold && (threshold === null || !(threshold > 0 && threshold <= 1))) {
    check.add(UserErrorCode.INVALID, msg('{rule} needs a threshold greater than 0 and at most 1', { rule: rule.kind }), [...path, 'threshold']);
  } else if (!needsThreshold && threshold !== null) {
    check.add(UserErrorCode.INVALID, msg('{rule} takes no threshold', { rule: rule.kind }), [...path, 'threshold']);
  }
  return { completionKind: rule.kind, completionThreshold: needsThreshold ? threshold : null };
}

/** Kind-specific content as given in a create or update input. */
export interface ContentInput {
  page?: PageContentInput | null;
  video?: VideoContentInput | null;
}

/**
 * Checks and normalizes content for `kind`: PAGE html is sanitized, VIDEO needs an https URL;
 * SCORM and ASSESSMENT content arrives with their own issues. Returns undefined when nothing was given.
 */
export function checkContent(check: InputCheck, kind: ActivityKind, input: ContentInput, required: boolean, base: (string | number)[] = ['input']): ActivityContent | undefined {
  const at = (...rest: string[]): (string | number)[] => [...base, ...rest];
  if (input.page && kind !== ActivityKind.PAGE) check.add(UserErrorCode.INVALID, 'page content is for PAGE activities', at('page'));
  if (input.video && kind !== ActivityKind.VIDEO) check.add(UserErrorCode.INVALID, 'video content is for VIDEO activities', at('video'));
  if (kind === ActivityKind.PAGE && (input.page || required)) {
    const raw = input.page?.html ?? '';
    if (raw.length > MAX_HTML) check.add(UserErrorCode.TOO_LARGE, msg('html must be at most {max} characters', { max: MAX_HTML }), at('page', 'html'));
    const html = sanitizeRichText(raw);
    if (!html) check.add(UserErrorCode.INVALID, 'a page needs some content', at('page', 'html'));
    return { html };
  }
  if (kind === ActivityKind.VIDEO && (input.video || required)) {
    const url = checkHttpsUrl(check, input.video?.url ?? null, at('video', 'url'));
    if (!url && !input.video?.url) check.add(UserErrorCode.INVALID, 'a video needs a url', at('video', 'url'));
    const duration = input.video?.durationSeconds ?? null;
    if (duration !== null && (!Number.isInteger(duration) || duration < 0 || duration > 86_400)) {
      check.add(UserErrorCode.INVALID, 'durationSeconds must be between 0 and 86400', at('video', 'durationSeconds'));
    }
    return { url: url ?? '', durationSeconds: duration };
  }
  return required ? {} : undefined;
}
