import type { FastifyBaseLogger } from 'fastify';
import { mintSessionToken } from '../../shared/auth';
import type { ContextDeps, Locale, RequestContext } from '../../shared/context';
import { badInput, forbidden } from '../../shared/errors';
import { localize } from '../../shared/i18n/message';
import { inTokenTenant } from '../../shared/token-context';
import { EnrollmentSource } from '../enrollment/enrollment.entity';
import { enroll } from '../enrollment/enrollment.write';
import { deepLinkingPicker } from './deep-linking';
import { verifyIdToken, claimedSender, type LaunchMessage } from './id-token';
import { recordLaunchServices } from './launch-services';
import { launchTarget, targetIds, type LaunchTarget } from './launch-target';
import { launchUser } from './launch-user';
import { CLAIM, DEEP_LINKING_REQUEST, isLearner } from './lti.claims';
import { LtiPlatform } from './lti.entity';
import { launchStoragePage, type Page } from './lti.pages';
import { ltiUrls } from './lti.urls';
import { learnerViewUrl } from '../learner-view/learner-view.url';
import { pickPageLocale } from '../../http/locale';
import { consumeLogin, pendingLogin } from './login';
import { findPlatform } from './platform-lookup';

/** The form a platform posts (and the tool's own second post after the client-side storage check). */
export interface LaunchForm {
  idToken: string | null;
  state: string | null;
  storageTarget: string | null;
  /** Second post from the tool's own check page. */
  storageChecked: boolean;
}

/** How the browser proved it started the login: the cookie, or the storage check posted from the tool's own origin. */
export interface BrowserBinding {
  cookie: boolean;
  sameOriginCheck: boolean;
}

export type LaunchAnswer = { kind: 'redirect'; url: string } | { kind: 'page'; page: Page };

const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The AGS and NRPS endpoints a launch carries, as the services helper wants them. */
function servicesOf(payload: Record<string, unknown>) {
  const ags = obj(payload[CLAIM.ags]);
  const nrps = obj(payload[CLAIM.nrps]);
  return {
    ags: ags ? {
      ...(strOrNull(ags.lineitem) ? { lineitem: ags.lineitem as string } : {}),
      ...(strOrNull(ags.lineitems) ? { lineitems: ags.lineitems as string } : {}),
      scope: Array.isArray(ags.scope) ? ags.scope.filter((s): s is string => typeof s === 'string') : [],
    } : null,
    nrps: nrps && strOrNull(nrps.context_memberships_url) ? { contextMembershipsUrl: nrps.context_memberships_url as string } : null,
  };
}

/** A resource-link launch: the user, their enrollment (learners), the services hook, and the landing redirect. */
async function resourceLink(ctx: RequestContext, platform: LtiPlatform, message: LaunchMessage): Promise<string> {
  const { payload, sub } = message;
  const link = obj(payload[CLAIM.resourceLink]);
  const resourceLinkId = strOrNull(link?.id);
  if (!resourceLinkId) throw badInput('The launch has no resource link id');
  const target: LaunchTarget = await launchTarget(ctx, payload[CLAIM.custom]);
  const user = await launchUser(ctx, platform, payload, sub);
  const ltiRoles = Array.isArray(payload[CLAIM.roles]) ? (payload[CLAIM.roles] as string[]) : [];
  if (isLearner(ltiRoles)) {
    const { enrollments } = await enroll(ctx, target.course.id, [{ userId: user.id, source: EnrollmentSource.LTI }], { assignedBy: `lti:${platform.id}` });
    await recordLaunchServices(ctx, {
      organizationId: ctx.orgId, platformId: platform.id, issuer: platform.issuer, clientId: platform.clientId, deploymentId: message.deploymentId,
      tokenUrl: platform.tokenUrl, contextId: strOrNull(obj(payload[CLAIM.context])?.id), resourceLinkId, userId: user.id, sub,
      enrollmentId: enrollments[0].id, courseId: target.course.id, activityId: target.activity?.id ?? null, ...servicesOf(payload),
    });
  }
  const token = await mintSessionToken(ctx.deps.serverSecret, { organizationId: ctx.orgId, subject: user.externalId });
  const ids = targetIds(target);
  // The LMS's language for the learner (launch_presentation.locale), when it says one the view speaks.
  const locale = obj(payload[CLAIM.launchPresentation])?.locale;
  const lang = typeof locale === 'string' && /^(zh|en)(-|$)/i.test(locale.trim()) ? pickPageLocale(locale, undefined) : undefined;
  return learnerViewUrl(ctx.deps.config.publicUrl, { courseId: ids.courseGid, activityId: ids.activityGid ?? undefined, lang }, token);
}

/**
 * Handles `POST /lti/launch`. Before anything is read or written: the registration by (iss, aud/azp)
 * through the narrow lookup, the id_token verified against its keyset. Then, in the tenant, the
 * login this launch answers is taken (state bound to this browser, nonce single use, target link
 * as requested) and the message handled. Any refusal throws and rolls everything back.
 */
export async function handleLaunch(deps: ContextDeps, form: LaunchForm, binding: BrowserBinding, log: FastifyBaseLogger, locale: Locale): Promise<LaunchAnswer> {
  if (!form.idToken || !form.state || form.idToken.length > 20_000 || form.state.length > 200) throw badInput('The launch lacks its id_token or state');
  const { idToken, state } = form;
  const sender = claimedSender(idToken);
  const ref = await findPlatform(deps, sender.issuer, sender.clientId);
  if (!ref) throw forbidden('This learning platform is not registered with Coursegraph');
  const grant = { organizationId: ref.organizationId, purpose: 'lti-launch', subject: ref.platformId };
  return inTokenTenant(deps, grant, log, async (ctx): Promise<LaunchAnswer> => {
    const platform = await ctx.manager.findOneBy(LtiPlatform, { organizationId: ctx.orgId, id: ref.platformId });
    if (!platform?.active) throw forbidden('This learning platform is not registered with Coursegraph');
    const message = await verifyIdToken(idToken, platform);
    const bound = binding.cookie || (form.storageChecked && binding.sameOriginCheck);
    if (!bound) {
      // No cookie came back (a framed launch with third-party cookies blocked): the platform's storage may vouch.
      const pending = await pendingLogin(ctx, platform.id, state);
      const storageTarget = form.storageTarget ?? pending?.storageTarget ?? null;
      if (!storageTarget || form.storageChecked || !pending) throw badInput('The launch state does not match a login started in this browser');
      return { kind: 'page', page: launchStoragePage(locale, {
        action: ltiUrls(deps.config.publicUrl, '').launch, idToken, state, nonce: pending.nonce, storageTarget,
        platformOrigin: new URL(platform.authUrl).origin, failure: localize('The launch state does not match a login started in this browser', locale),
      }) };
    }
    const login = await consumeLogin(ctx, platform.id, state, message.nonce);
    if (message.payload[CLAIM.targetLinkUri] !== login.targetLinkUri) throw badInput('The launch\'s target link differs from the one the login asked for');
    if (message.messageType === DEEP_LINKING_REQUEST) return { kind: 'page', page: await deepLinkingPicker(ctx, platform, message, locale) };
    return { kind: 'redirect', url: await resourceLink(ctx, platform, message) };
  }, false);
}
