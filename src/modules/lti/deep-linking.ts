import { hkdfSync, randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { jwtVerify, SignJWT } from 'jose';
import { In } from 'typeorm';
import type { ContextDeps, Locale, RequestContext } from '../../shared/context';
import { badInput, forbidden } from '../../shared/errors';
import { isUuid, toGlobalId } from '../../shared/ids';
import { inTokenTenant } from '../../shared/token-context';
import { Activity, CourseModule } from '../course/content.entity';
import { ACTIVITY_TYPE } from '../course/content.resolver';
import { Course, CourseStatus } from '../course/course.entity';
import { COURSE_TYPE } from '../course/course.resolver';
import { pickText } from '../course/localized';
import type { LaunchMessage } from './id-token';
import { activityNamed, courseNamed, type LaunchTarget } from './launch-target';
import { CLAIM, DEEP_LINKING_RESPONSE, isInstructor } from './lti.claims';
import { LtiPlatform } from './lti.entity';
import { autoPostPage, pickerPage, type Page, type PickerCourse } from './lti.pages';
import { ltiUrls } from './lti.urls';
import { toolSigningKey } from './tool-key';

const TICKET_AUDIENCE = 'coursegraph-lti-deep-link';
const TICKET_TTL = '30m';
const MAX_COURSES = 200;
/** Score maximum of the line item each link creates (percent, as Coursegraph scores). */
export const SCORE_MAXIMUM = 100;

const ticketKey = (serverSecret: string): Uint8Array => new Uint8Array(hkdfSync('sha256', serverSecret, 'coursegraph', 'coursegraph/lti-deep-link-ticket/v1', 32));

/** What the picker's choice needs of the request: signed into the ticket the picker's forms carry. */
interface Ticket {
  org: string;
  platformId: string;
  deploymentId: string;
  returnUrl: string;
  data: string | null;
}

async function publishedCourses(ctx: RequestContext, locale: Locale): Promise<PickerCourse[]> {
  const courses = await ctx.manager.find(Course, { where: { organizationId: ctx.orgId, status: CourseStatus.PUBLISHED }, order: { code: 'ASC' }, take: MAX_COURSES });
  const revisions = courses.map((c) => c.publishedRevisionId).filter((r): r is string => !!r);
  const [modules, activities] = revisions.length ? await Promise.all([
    ctx.manager.findBy(CourseModule, { organizationId: ctx.orgId, revisionId: In(revisions) }),
    ctx.manager.findBy(Activity, { organizationId: ctx.orgId, revisionId: In(revisions) }),
  ]) : [[], []];
  const modulePos = new Map(modules.map((m) => [m.id, m.position]));
  activities.sort((a, b) => (modulePos.get(a.moduleId) ?? 0) - (modulePos.get(b.moduleId) ?? 0) || a.position - b.position);
  return courses.filter((c) => c.publishedRevisionId).map((c) => ({
    id: toGlobalId(COURSE_TYPE, c.id),
    code: c.code,
    title: pickText(c.title, locale),
    activities: activities.filter((a) => a.revisionId === c.publishedRevisionId).map((a) => ({ id: toGlobalId(ACTIVITY_TYPE, a.id), title: pickText(a.title, locale) })),
  }));
}

/** An LtiDeepLinkingRequest (instructors only): the picker of the organization's published courses and activities. */
export async function deepLinkingPicker(ctx: RequestContext, platform: LtiPlatform, message: LaunchMessage, locale: Locale): Promise<Page> {
  const roles = Array.isArray(message.payload[CLAIM.roles]) ? (message.payload[CLAIM.roles] as string[]) : [];
  if (!isInstructor(roles)) throw forbidden('Only instructors can add Coursegraph content');
  const settings = message.payload[CLAIM.deepLinkingSettings] as Record<string, unknown> | undefined;
  const returnUrl = typeof settings?.deep_link_return_url === 'string' ? settings.deep_link_return_url : null;
  if (!returnUrl || !/^https?:\/\//.test(returnUrl)) throw badInput('The deep-linking request has no return URL');
  const accept = Array.isArray(settings?.accept_types) ? (settings.accept_types as unknown[]) : null;
  if (accept && !accept.includes('ltiResourceLink')) throw badInput('The platform does not accept LTI resource links here');
  const ticket: Ticket = { org: ctx.orgId, platformId: platform.id, deploymentId: message.deploymentId, returnUrl, data: typeof settings?.data === 'string' ? settings.data : null };
  const signed = await new SignJWT({ ...ticket }).setProtectedHeader({ alg: 'HS256' }).setAudience(TICKET_AUDIENCE).setIssuedAt().setExpirationTime(TICKET_TTL)
    .sign(ticketKey(ctx.deps.serverSecret));
  return pickerPage(locale, ltiUrls(ctx.deps.config.publicUrl, '').deepLinkChoice, signed, await publishedCourses(ctx, locale));
}

/** The content item for a chosen course or activity: a resource link with its gradebook line item and custom parameters. */
function contentItem(ctx: RequestContext, target: LaunchTarget, locale: Locale): Record<string, unknown> {
  const title = target.activity ? pickText(target.activity.title, locale) : pickText(target.course.title, locale);
  const custom = target.activity ? { activity: toGlobalId(ACTIVITY_TYPE, target.activity.id) } : { course: target.course.code };
  return {
    type: 'ltiResourceLink', title, url: ltiUrls(ctx.deps.config.publicUrl, '').launch,
    lineItem: { scoreMaximum: SCORE_MAXIMUM, label: title, resourceId: target.activity ? `activity:${target.activity.key}` : `course:${target.course.id}` },
    custom,
  };
}

/** The signed LtiDeepLinkingResponse (RS256, the organization's tool key). */
async function responseJwt(ctx: RequestContext, platform: LtiPlatform, ticket: Ticket, items: Record<string, unknown>[]): Promise<string> {
  const { kid, privateKey } = await toolSigningKey(ctx);
  return new SignJWT({
    nonce: randomBytes(16).toString('base64url'),
    [CLAIM.messageType]: DEEP_LINKING_RESPONSE,
    [CLAIM.version]: '1.3.0',
    [CLAIM.deploymentId]: ticket.deploymentId,
    [CLAIM.contentItems]: items,
    ...(ticket.data !== null ? { [CLAIM.deepLinkingData]: ticket.data } : {}),
  }).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).setIssuer(platform.clientId).setAudience(platform.issuer).setIssuedAt().setExpirationTime('10m').sign(privateKey);
}

/** `POST /lti/deep-link`: the instructor's choice, answered with the auto-submitted response to the platform. */
export async function deepLinkingChoice(deps: ContextDeps, body: Record<string, unknown>, log: FastifyBaseLogger, locale: Locale): Promise<Page> {
  let ticket: Ticket;
  try {
    const { payload } = await jwtVerify(String(body.ticket ?? ''), ticketKey(deps.serverSecret), { audience: TICKET_AUDIENCE, algorithms: ['HS256'] });
    ticket = payload as unknown as Ticket;
  } catch {
    throw badInput('The selection has expired; start again from your learning platform');
  }
  if (!isUuid(ticket.org) || !isUuid(ticket.platformId)) throw badInput('The selection has expired; start again from your learning platform');
  const grant = { organizationId: ticket.org, purpose: 'lti-deep-link', subject: ticket.platformId };
  return inTokenTenant(deps, grant, log, async (ctx) => {
    const platform = await ctx.manager.findOneBy(LtiPlatform, { organizationId: ctx.orgId, id: ticket.platformId });
    if (!platform?.active) throw forbidden('This learning platform is not registered with Coursegraph');
    const activity = typeof body.activity === 'string' ? body.activity : null;
    const course = typeof body.course === 'string' ? body.course : null;
    if (!activity && !course) throw badInput('Choose a course or an activity');
    const target = activity ? await activityNamed(ctx, activity) : { course: await courseNamed(ctx, course!), activity: null };
    const jwt = await responseJwt(ctx, platform, ticket, [contentItem(ctx, target, locale)]);
    return autoPostPage(locale, ticket.returnUrl, { JWT: jwt });
  }, false);
}
