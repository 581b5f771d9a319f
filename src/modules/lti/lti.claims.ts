import { Role, permissionsOf } from '../../shared/permissions';

/** Claim names of LTI 1.3 Core, Deep Linking 2.0, AGS 2.0 and NRPS 2.0. */
export const CLAIM = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  launchPresentation: 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation',
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  deepLinkingData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  contentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
} as const;

export const RESOURCE_LINK_REQUEST = 'LtiResourceLinkRequest';
export const DEEP_LINKING_REQUEST = 'LtiDeepLinkingRequest';
export const DEEP_LINKING_RESPONSE = 'LtiDeepLinkingResponse';

/** The roles a registration may let a launch grant, lowest first. */
export const LTI_GRANTABLE_ROLES: readonly Role[] = [Role.LEARNER, Role.AUTHOR, Role.ORG_ADMIN];

const RANK: Partial<Record<Role, number>> = { [Role.LEARNER]: 0, [Role.AUTHOR]: 1, [Role.ORG_ADMIN]: 2 };

/** The LIS role's name: `…/membership#Instructor`, `…/membership/Instructor#TeachingAssistant` and `Instructor` all give Instructor. */
function roleName(uri: string): string {
  const sub = /\/membership\/(\w+)#/.exec(uri);
  if (sub) return sub[1];
  return uri.includes('#') ? uri.slice(uri.lastIndexOf('#') + 1) : uri;
}

/** The Coursegraph role the LTI roles ask for: Administrator → ORG_ADMIN, Instructor/ContentDeveloper → AUTHOR, anything else → LEARNER. */
export function requestedRole(ltiRoles: readonly string[]): Role {
  const names = ltiRoles.map(roleName);
  if (names.includes('Administrator')) return Role.ORG_ADMIN;
  if (names.includes('Instructor') || names.includes('ContentDeveloper')) return Role.AUTHOR;
  return Role.LEARNER;
}

/** True when the LTI roles include an instructor, content developer or administrator (deep linking). */
export const isInstructor = (ltiRoles: readonly string[]): boolean => requestedRole(ltiRoles) !== Role.LEARNER;

/** True when the launch is a learner's: a Learner role, or no instructor or administrator role. A learner is enrolled. */
export const isLearner = (ltiRoles: readonly string[]): boolean => !isInstructor(ltiRoles) || ltiRoles.map(roleName).includes('Learner');

/** The role a launch grants: what the LTI roles ask for, never beyond the registration's ceiling. */
export function grantedRole(ltiRoles: readonly string[], ceiling: Role): Role {
  const asked = requestedRole(ltiRoles);
  return (RANK[asked] ?? 0) <= (RANK[ceiling] ?? 0) ? asked : ceiling;
}

/**
 * The roles a user ends with after a launch. A user who holds anything beyond the ceiling (an HR
 * or admin provisioned by other means) is left exactly as they are: a launch neither raises nor
 * lowers them. Anyone else keeps their roles and gains the granted one.
 */
export function rolesAfterLaunch(current: readonly Role[], granted: Role, ceiling: Role): Role[] {
  const allowed = permissionsOf([ceiling]);
  const beyond = [...permissionsOf(current)].some((p) => !allowed.has(p));
  if (beyond || current.includes(granted)) return [...current];
  return [...current, granted];
}
