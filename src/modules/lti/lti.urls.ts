/** The tool's URLs; `org` is the organization's slug (or id) in per-organization paths. */
export function ltiUrls(publicUrl: string, org: string) {
  return {
    login: `${publicUrl}/lti/login`,
    launch: `${publicUrl}/lti/launch`,
    deepLinkChoice: `${publicUrl}/lti/deep-link`,
    jwks: `${publicUrl}/lti/${encodeURIComponent(org)}/jwks`,
    register: `${publicUrl}/lti/${encodeURIComponent(org)}/register`,
  };
}

/** The landing page of a launch: the learner view, with the session token in the fragment (never sent to a server). */
export function landingUrl(publicUrl: string, target: { courseGid: string; activityGid: string | null }, token: string): string {
  const query = new URLSearchParams({ course: target.courseGid, ...(target.activityGid ? { activity: target.activityGid } : {}) });
  return `${publicUrl}/learn?${query.toString()}#token=${encodeURIComponent(token)}`;
}
