/** Why an uploaded package zip is refused. */
export type PackageErrorCode =
  | 'INVALID_ZIP'
  | 'PATH_TRAVERSAL'
  | 'ABSOLUTE_PATH'
  | 'BACKSLASH_IN_PATH'
  | 'INVALID_PATH'
  | 'PATH_TOO_LONG'
  | 'INVALID_LAUNCH_HREF'
  | 'DUPLICATE_ENTRY'
  | 'PATH_CONFLICT'
  | 'SYMLINK'
  | 'UNSUPPORTED_ENTRY_TYPE'
  | 'ENCRYPTED_ENTRY'
  | 'UNSUPPORTED_COMPRESSION'
  | 'TOO_MANY_ENTRIES'
  | 'ENTRY_TOO_LARGE'
  | 'TOTAL_SIZE_EXCEEDED'
  | 'COMPRESSION_RATIO_EXCEEDED'
  | 'MISSING_MANIFEST';

/** A package refused for a reason the uploader can act on; `reason` is safe to show them. */
export class PackageError extends Error {
  constructor(
    readonly code: PackageErrorCode,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'PackageError';
  }
}
