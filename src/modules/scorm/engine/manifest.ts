import { definedOnly } from './defined-only';
import { appendParameters } from './href';
import { readItemSettings, type ItemSettings, type ScormVersion } from './manifest-item';
import { ManifestRefusal, type ManifestErrorCode } from './manifest-refusal';
import { ResourceIndex } from './manifest-resources';
import { compileSequencing, type ScoSequencing, type SequencingNode } from './sequencing-compile';
import { effectiveSequencing, isVisible, readDefinition, sequencingCollection, usesSequencing } from './sequencing-definition';
import { attr, child, children, localName, namespaces, parseXml, text, type XmlElement } from './xml';

export type { ItemSettings, ScormVersion, TimeLimitAction } from './manifest-item';
export type { ManifestErrorCode } from './manifest-refusal';

/**
 * One launchable item of the default organization: an activity the learner can open.
 * `scormType: 'asset'` items never talk to the run-time API (SCORM calls them assets); the LMS
 * records them as completed when launched. They are listed because packages such as the
 * "one file per SCO" samples consist of nothing else and are still valid SCORM.
 */
export interface Sco extends ItemSettings {
  /** The item's identifier, unique within the organization. */
  identifier: string;
  title: string;
  /** Package-relative URL (or an absolute URL for external content) with xml:base and parameters applied. */
  launchHref: string;
  /** The item's `parameters` attribute as written (entity-decoded). */
  itemParameters?: string;
  scormType: 'sco' | 'asset';
  /** Position among the launchable items, in document order (0-based). */
  order: number;
  /** SCORM 2004 packages that use sequencing: the SCO's place in the activity tree and its rules. */
  sequencing?: ScoSequencing;
}

/** A parsed `imsmanifest.xml`. */
export interface Manifest {
  version: ScormVersion;
  /** '2nd Edition', '3rd Edition' or '4th Edition' when the manifest says so (2004 only). */
  edition?: string;
  title: string;
  scos: Sco[];
  /** Package files the launchable items' resources list, with their dependencies, xml:base applied. */
  assets: string[];
}

/** Either the manifest or why it is refused, with a reason fit to show the uploader. */
export type ManifestResult =
  | { ok: true; manifest: Manifest }
  | { ok: false; code: ManifestErrorCode; reason: string };

/**
 * Parses a SCORM 1.2 or 2004 (2nd-4th edition) `imsmanifest.xml` into the launchable items
 * of its default organization. Refuses malformed XML, DTDs, missing or dangling organization
 * and resource references, launchable items without an href, and packages with nothing to launch.
 */
export function parseManifest(xml: string): ManifestResult {
  const parsed = parseXml(xml);
  if (!parsed.ok) return parsed;
  if (localName(parsed.rootName) !== 'manifest') {
    return { ok: false, code: 'NOT_A_MANIFEST', reason: `the root element is <${parsed.rootName}>, not <manifest>` };
  }
  try {
    return { ok: true, manifest: readManifest(parsed.root) };
  } catch (error) {
    if (error instanceof ManifestRefusal) return { ok: false, code: error.code, reason: error.reason };
    throw error;
  }
}

function readManifest(root: XmlElement): Manifest {
  const organization = defaultOrganization(root);
  const { version, edition } = detectVersion(root);
  const resources = new ResourceIndex(root);
  const collection = sequencingCollection(root);
  const assets = new Set<string>();
  const scos: Sco[] = [];
  for (const item of uniqueItems(organization)) {
    const sco = readLaunchable(item, version, resources, scos.length, assets, collection);
    if (sco) scos.push(sco);
  }
  if (scos.length === 0) {
    throw new ManifestRefusal('NO_LAUNCHABLE_SCO', 'the default organization has no item that references a resource to launch');
  }
  if (version === 'SCORM_2004' && usesSequencing(organization)) {
    const compiled = compileSequencing(sequencingTree(organization, collection));
    for (const sco of scos) sco.sequencing = compiled.get(sco.identifier);
  }
  const title = text(child(organization, 'title')) || attr(root, 'identifier')?.trim() || 'Untitled package';
  return { version, ...(edition ? { edition } : {}), title, scos, assets: [...assets] };
}

/**
 * `<schemaversion>` decides when it is one SCORM defines ("1.2", "CAM 1.3" for 2004 2nd
 * edition, "2004 3rd/4th Edition"); otherwise the SCORM 1.2 namespaces mark a 1.2 package and
 * anything else is taken as 2004.
 */
function detectVersion(root: XmlElement): { version: ScormVersion; edition?: string } {
  const schemaVersion = text(child(child(root, 'metadata'), 'schemaversion'));
  if (schemaVersion === '1.2') return { version: 'SCORM_1.2' };
  if (/^(CAM )?1\.3$/i.test(schemaVersion)) return { version: 'SCORM_2004', edition: '2nd Edition' };
  const edition = /^2004 (\d(?:st|nd|rd|th)) Edition$/i.exec(schemaVersion);
  if (edition) return { version: 'SCORM_2004', edition: `${edition[1].toLowerCase()} Edition` };
  const is12 = namespaces(root).some((uri) => /adlcp_rootv1p2|imscp_rootv1p1p2/i.test(uri));
  return { version: is12 ? 'SCORM_1.2' : 'SCORM_2004' };
}

/** The organization `<organizations default>` names, or the first one when it names none. */
function defaultOrganization(root: XmlElement): XmlElement {
  const organizations = child(root, 'organizations');
  const list = children(organizations, 'organization');
  if (list.length === 0) throw new ManifestRefusal('NO_ORGANIZATIONS', 'the manifest has no <organization>');
  const wanted = attr(organizations, 'default')?.trim();
  if (!wanted) return list[0];
  const found = list.find((organization) => attr(organization, 'identifier')?.trim() === wanted);
  if (!found) {
    const known = list.map((organization) => attr(organization, 'identifier')?.trim() || '(no identifier)').join(', ');
    throw new ManifestRefusal(
      'DEFAULT_ORGANIZATION_NOT_FOUND',
      `the default organization "${wanted}" does not exist (organizations: ${known})`,
    );
  }
  return found;
}

/** All items of the organization, nested ones included, in document order, checked for identifiers. */
function uniqueItems(organization: XmlElement): { element: XmlElement; identifier: string }[] {
  const items: { element: XmlElement; identifier: string }[] = [];
  const seen = new Set<string>();
  const visit = (parent: XmlElement): void => {
    for (const element of children(parent, 'item')) {
      const identifier = attr(element, 'identifier')?.trim();
      if (!identifier) throw new ManifestRefusal('MISSING_IDENTIFIER', 'an <item> has no identifier');
      if (seen.has(identifier)) {
        throw new ManifestRefusal('DUPLICATE_IDENTIFIER', `two items share the identifier "${identifier}"`);
      }
      seen.add(identifier);
      items.push({ element, identifier });
      visit(element);
    }
  };
  visit(organization);
  return items;
}

/**
 * The item as a launchable activity, or undefined for a pure aggregation (no identifierref).
 * An item that references a resource must be able to launch it, so a missing resource or a
 * resource without href refuses the package rather than leaving a dead activity.
 */
function readLaunchable(
  item: { element: XmlElement; identifier: string },
  version: ScormVersion,
  resources: ResourceIndex,
  order: number,
  assets: Set<string>,
  collection: Map<string, XmlElement>,
): Sco | undefined {
  const ref = attr(item.element, 'identifierref')?.trim();
  if (!ref) return undefined;
  const resource = resources.get(ref, `item "${item.identifier}"`);
  const href = resources.href(resource);
  if (href === undefined) {
    throw new ManifestRefusal(
      'MISSING_LAUNCH_HREF',
      `item "${item.identifier}" launches resource "${ref}", which has no href`,
    );
  }
  resources.collectFiles(resource, assets);
  const itemParameters = attr(item.element, 'parameters')?.trim() || undefined;
  return {
    identifier: item.identifier,
    title: text(child(item.element, 'title')) || item.identifier,
    launchHref: appendParameters(href, itemParameters),
    ...(itemParameters ? { itemParameters } : {}),
    scormType: resources.scormType(resource),
    order,
    ...definedOnly(readItemSettings(item.element, version, item.identifier, effectiveSequencing(item.element, collection))),
  };
}

/**
 * The organization as an activity tree for sequencing: items that launch a resource are leaves
 * (SCOs); clusters with no SCO below them take no part.
 */
function sequencingTree(organization: XmlElement, collection: Map<string, XmlElement>): SequencingNode {
  const node = (el: XmlElement, id: string, sco: boolean): SequencingNode => ({
    id, sco, visible: isVisible(el), def: readDefinition(effectiveSequencing(el, collection)),
    children: sco ? [] : children(el, 'item')
      .map((item) => node(item, attr(item, 'identifier')?.trim() ?? '', !!attr(item, 'identifierref')?.trim()))
      .filter((n) => n.sco || n.children.length > 0),
  });
  return node(organization, attr(organization, 'identifier')?.trim() || 'organization', false);
}
