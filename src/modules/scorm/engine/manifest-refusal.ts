/** Why a manifest is refused; stable values a caller can map to messages or metrics. */
export type ManifestErrorCode =
  | 'MALFORMED_XML'
  | 'DTD_NOT_ALLOWED'
  | 'NOT_A_MANIFEST'
  | 'NO_ORGANIZATIONS'
  | 'DEFAULT_ORGANIZATION_NOT_FOUND'
  | 'MISSING_IDENTIFIER'
  | 'DUPLICATE_IDENTIFIER'
  | 'RESOURCE_NOT_FOUND'
  | 'MISSING_LAUNCH_HREF'
  | 'HREF_OUTSIDE_PACKAGE'
  | 'INVALID_VALUE'
  | 'NO_LAUNCHABLE_SCO';

/**
 * Thrown inside the manifest reader to unwind to `parseManifest`, which turns it into a
 * `{ ok: false }` result; it never escapes the module.
 */
export class ManifestRefusal extends Error {
  constructor(
    readonly code: ManifestErrorCode,
    readonly reason: string,
  ) {
    super(reason);
  }
}
