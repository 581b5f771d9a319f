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
