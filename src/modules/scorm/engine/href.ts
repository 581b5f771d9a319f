/** An href with a URI scheme (`https:`, `data:`) or protocol-relative: it points outside the package. */
export function isExternalUrl(href: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(href) || href.startsWith('//');
}

/**
 * Applies `xml:base` values (outermost first: manifest, resources, resource) to an href and
 * normalizes `.` and `..` segments. Returns null when the result would leave the package root
 * (a leading `/` or too many `..`). A base without a trailing slash is treated as a folder,
 * which is what authors mean even though RFC 3986 would drop its last segment.
 */
export function resolveHref(bases: readonly (string | undefined)[], href: string): string | null {
  let joined = href.trim();
  for (const base of [...bases].reverse()) {
    if (isExternalUrl(joined)) break;
    const trimmed = base?.trim();
    if (trimmed) joined = (trimmed.endsWith('/') ? trimmed : `${trimmed}/`) + joined;
  }
  if (isExternalUrl(joined)) return joined;
  const split = joined.search(/[?#]/);
  const path = split === -1 ? joined : joined.slice(0, split);
  const suffix = split === -1 ? '' : joined.slice(split);
  const normalized = normalizePath(path);
  return normalized === null ? null : normalized + suffix;
}

function normalizePath(path: string): string | null {
  if (path.startsWith('/')) return null;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join('/') + (path.endsWith('/') && out.length > 0 ? '/' : '');
}

/**
 * Appends an item's `parameters` to a launch href as the SCORM CAM describes: leading `?`/`&`
 * are dropped, the query is joined with `&` when the href already has one, and a `#fragment`
 * in the parameters is used only when the href has none. Unlike plain concatenation, the query
 * always lands before any fragment, so `page.html#top` + `?a=1` gives `page.html?a=1#top`.
 */
export function appendParameters(href: string, parameters: string | undefined): string {
  const params = parameters?.trim().replace(/^[?&]+/, '') ?? '';
  if (!params) return href;
  const [hrefPathAndQuery, hrefFragment] = splitOnce(href, '#');
  const [path, hrefQuery] = splitOnce(hrefPathAndQuery, '?');
  const [paramQuery, paramFragment] = splitOnce(params, '#');
  const query = [hrefQuery, paramQuery].filter((part) => part).join('&');
  const fragment = hrefFragment || paramFragment;
  return path + (query ? `?${query}` : '') + (fragment ? `#${fragment}` : '');
}

function splitOnce(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator);
  return at === -1 ? [value, ''] : [value.slice(0, at), value.slice(at + 1)];
}

/**
 * The package file an href names: query and fragment removed, percent-escapes decoded
 * (manifest hrefs are URIs, zip entries are plain names).
 */
export function hrefToFilePath(href: string): string {
  const path = href.split(/[?#]/, 1)[0];
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Why a SCO's launch href cannot be launched, or null when it can: it must be a relative path
 * (no scheme such as `javascript:` or `https:`, no `//`, no leading `/`) naming one of the
 * package's own files. The files are the package's entry list, never the file system, so an
 * escape like `%2e%2e/` can only ever fail to match: it cannot probe the server's folders.
 */
export function launchHrefProblem(href: string, packageFiles: ReadonlySet<string>): string | null {
  if (isExternalUrl(href) || /^[\\/]/.test(href)) return 'is not a relative path inside the package';
  const path = href.split(/[?#]/, 1)[0];
  let file: string;
  try {
    file = decodeURIComponent(path);
  } catch {
    return 'has a broken percent escape';
  }
  return packageFiles.has(file) ? null : 'is not in the package';
}
