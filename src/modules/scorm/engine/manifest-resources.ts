import { hrefToFilePath, isExternalUrl, resolveHref } from './href';
import { ManifestRefusal } from './manifest-refusal';
import { attr, child, children, type XmlElement } from './xml';

/** A `<resource>` with the `xml:base` chain (manifest, resources, resource) that applies to it. */
interface ResourceEntry {
  identifier: string;
  element: XmlElement;
  bases: (string | undefined)[];
}

/** The manifest's resources by identifier, with href resolution and file collection. */
export class ResourceIndex {
  private readonly byId = new Map<string, ResourceEntry>();

  constructor(manifest: XmlElement) {
    const resources = child(manifest, 'resources');
    const outerBases = [attr(manifest, 'base'), attr(resources, 'base')];
    for (const element of children(resources, 'resource')) {
      const identifier = attr(element, 'identifier')?.trim();
      if (!identifier) throw new ManifestRefusal('MISSING_IDENTIFIER', 'a <resource> has no identifier');
      if (this.byId.has(identifier)) {
        throw new ManifestRefusal('DUPLICATE_IDENTIFIER', `two resources share the identifier "${identifier}"`);
      }
      this.byId.set(identifier, { identifier, element, bases: [...outerBases, attr(element, 'base')] });
    }
  }

  /** The resource, or a RESOURCE_NOT_FOUND refusal naming who referenced it. */
  get(identifier: string, referencedBy: string): ResourceEntry {
    const entry = this.byId.get(identifier);
    if (!entry) {
      throw new ManifestRefusal('RESOURCE_NOT_FOUND', `${referencedBy} references resource "${identifier}", which does not exist`);
    }
    return entry;
  }

  /**
   * `sco` or `asset`. SCORM 1.2 spells the attribute `scormtype`, 2004 `scormType`; a resource
   * without it is taken as a SCO, since tracking content that never calls the API costs nothing
   * while treating a real SCO as an asset would lose its results.
   */
  scormType(entry: ResourceEntry): 'sco' | 'asset' {
    return attr(entry.element, 'scormtype', true)?.trim().toLowerCase() === 'asset' ? 'asset' : 'sco';
  }

  /** The resource's href with xml:base applied; undefined when it has none. */
  href(entry: ResourceEntry): string | undefined {
    const href = attr(entry.element, 'href');
    return href?.trim() ? this.resolve(entry, href) : undefined;
  }

  /** Package files the resource and, transitively, its dependencies list (href included). */
  collectFiles(entry: ResourceEntry, into: Set<string>, visited = new Set<string>()): void {
    if (visited.has(entry.identifier)) return;
    visited.add(entry.identifier);
    const hrefs = [this.href(entry), ...children(entry.element, 'file').map((file) => this.fileHref(entry, file))];
    for (const href of hrefs) {
      if (href !== undefined && !isExternalUrl(href)) into.add(hrefToFilePath(href));
    }
    for (const dependency of children(entry.element, 'dependency')) {
      const ref = attr(dependency, 'identifierref')?.trim() ?? '';
      this.collectFiles(this.get(ref, `a dependency of resource "${entry.identifier}"`), into, visited);
    }
  }

  private fileHref(entry: ResourceEntry, file: XmlElement): string | undefined {
    const href = attr(file, 'href');
    return href?.trim() ? this.resolve(entry, href, attr(file, 'base')) : undefined;
  }

  private resolve(entry: ResourceEntry, href: string, fileBase?: string): string {
    const resolved = resolveHref([...entry.bases, fileBase], href);
    if (resolved === null) {
      throw new ManifestRefusal(
        'HREF_OUTSIDE_PACKAGE',
        `resource "${entry.identifier}" refers to "${href}", which points outside the package`,
      );
    }
    return resolved;
  }
}
