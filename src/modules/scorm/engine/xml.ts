import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A parsed XML element: a plain string for an attribute-less leaf, otherwise an object whose
 * attributes sit under `@_<qualified name>`, whose text sits under `#text`, and whose child
 * elements sit under their qualified name, always as an array (see `isArray` below).
 */
export type XmlElement = string | XmlObject;
export interface XmlObject {
  [key: string]: string | XmlElement[];
}

export type XmlParseResult =
  | { ok: true; root: XmlElement; rootName: string }
  | { ok: false; code: 'MALFORMED_XML' | 'DTD_NOT_ALLOWED'; reason: string };

const ATTR = '@_';
/** Deepest element nesting read; manifests nest items a few levels, a hostile one 100,000. */
export const MAX_DEPTH = 100;

// Qualified names are kept (no removeNSPrefix) so the root's xmlns declarations survive for
// version detection; lookups below compare local names, because packages use any prefix.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Every element becomes an array, so one child and many children read the same way.
  isArray: (_name, _jpath, _isLeaf, isAttribute) => !isAttribute,
  maxNestedTags: MAX_DEPTH,
});

/**
 * Parses an XML document after refusing DTDs and entity declarations outright (they are the
 * vector for entity-expansion and external-entity attacks, and no SCORM manifest needs them).
 */
export function parseXml(xml: string): XmlParseResult {
  const source = xml.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(source)) {
    return { ok: false, code: 'DTD_NOT_ALLOWED', reason: 'the XML declares a DTD or entities, which are not allowed' };
  }
  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    return { ok: false, code: 'MALFORMED_XML', reason: `the XML is not well-formed (line ${line}, column ${col}): ${msg}` };
  }
  let doc: XmlObject;
  try {
    doc = parser.parse(source) as XmlObject;
  } catch (error) {
    // The parser throws plain errors for limits it enforces (nesting depth above all).
    const detail = error instanceof Error && /nested/i.test(error.message) ? `elements nest deeper than ${MAX_DEPTH} levels` : 'it cannot be read';
    return { ok: false, code: 'MALFORMED_XML', reason: `the XML is refused: ${detail}` };
  }
  const rootName = Object.keys(doc).find((key) => !key.startsWith('?') && !key.startsWith('#'));
  const roots = rootName === undefined ? undefined : doc[rootName];
  if (rootName === undefined || !Array.isArray(roots) || roots.length !== 1) {
    return { ok: false, code: 'MALFORMED_XML', reason: 'the XML has no single root element' };
  }
  return { ok: true, root: roots[0], rootName };
}

/** The part of a qualified name after its namespace prefix. */
export function localName(qualified: string): string {
  return qualified.slice(qualified.indexOf(':') + 1);
}

/** Child elements with the given local name (compared case-insensitively when asked). */
export function children(el: XmlElement | undefined, name: string, ignoreCase = false): XmlElement[] {
  if (el === undefined || typeof el === 'string') return [];
  const wanted = ignoreCase ? name.toLowerCase() : name;
  const found: XmlElement[] = [];
  for (const [key, value] of Object.entries(el)) {
    if (key.startsWith(ATTR) || key.startsWith('#') || !Array.isArray(value)) continue;
    const local = ignoreCase ? localName(key).toLowerCase() : localName(key);
    if (local === wanted) found.push(...value);
  }
  return found;
}

/** The first child element with the given local name. */
export function child(el: XmlElement | undefined, name: string, ignoreCase = false): XmlElement | undefined {
  return children(el, name, ignoreCase)[0];
}

/** An attribute value by local name, entity-decoded; undefined when absent. */
export function attr(el: XmlElement | undefined, name: string, ignoreCase = false): string | undefined {
  if (el === undefined || typeof el === 'string') return undefined;
  const wanted = ignoreCase ? name.toLowerCase() : name;
  for (const [key, value] of Object.entries(el)) {
    if (!key.startsWith(ATTR) || typeof value !== 'string') continue;
    const qualified = key.slice(ATTR.length);
    if (qualified === 'xmlns' || qualified.startsWith('xmlns:')) continue;
    const local = ignoreCase ? localName(qualified).toLowerCase() : localName(qualified);
    if (local === wanted) return decodeEntities(value);
  }
  return undefined;
}

/** The element's own text, entity-decoded and trimmed; '' when it has none. */
export function text(el: XmlElement | undefined): string {
  if (el === undefined) return '';
  const raw = typeof el === 'string' ? el : el['#text'];
  return typeof raw === 'string' ? decodeEntities(raw).trim() : '';
}

/** Namespace URIs declared on the element (`xmlns` and `xmlns:*`). */
export function namespaces(el: XmlElement): string[] {
  if (typeof el === 'string') return [];
  return Object.entries(el)
    .filter(([key]) => key === `${ATTR}xmlns` || key.startsWith(`${ATTR}xmlns:`))
    .map(([, value]) => (typeof value === 'string' ? value : ''));
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Decodes the five predefined XML entities and character references. The parser runs with
 * `processEntities: false` (no DTD processing at all), so this is done here, and only for the
 * entities XML itself defines.
 */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (!ref.startsWith('#')) return PREDEFINED[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
