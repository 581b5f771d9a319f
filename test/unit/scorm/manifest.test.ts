import { parseManifest, type Manifest, type ManifestResult } from '../../../src/modules/scorm/engine/manifest';

const NS_12 = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"';
const NS_2004 =
  'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"';

/** A manifest with one organization around `items` and the given `resources`. */
function manifest(opts: { ns?: string; schemaVersion?: string | null; items: string; resources: string; attrs?: string }): string {
  const schema = opts.schemaVersion === null ? '' : `<metadata><schemaversion>${opts.schemaVersion ?? '2004 4th Edition'}</schemaversion></metadata>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="pkg" ${opts.ns ?? NS_2004} ${opts.attrs ?? ''}>
  ${schema}
  <organizations default="org"><organization identifier="org"><title>Course</title>${opts.items}</organization></organizations>
  <resources>${opts.resources}</resources>
</manifest>`;
}

const SCO = (id: string, href: string, extra = ''): string =>
  `<resource identifier="${id}" type="webcontent" adlcp:scormType="sco" href="${href}" ${extra}><file href="${href.split('?')[0]}"/></resource>`;

function parsed(xml: string): Manifest {
  const result = parseManifest(xml);
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.reason}`);
  return result.manifest;
}

function refusal(result: ManifestResult): string {
  return result.ok ? 'accepted' : result.code;
}

describe('parseManifest: refusals', () => {
  it.each([
    ['a DOCTYPE', `<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY x "y">]><manifest/>`, 'DTD_NOT_ALLOWED'],
    ['an entity declaration', `<?xml version="1.0"?><!ENTITY lol "lol"><manifest/>`, 'DTD_NOT_ALLOWED'],
    ['an unclosed element', '<manifest><organizations></manifest>', 'MALFORMED_XML'],
    ['text that is not XML', 'this is not xml', 'MALFORMED_XML'],
    ['another root element', '<package><organizations/></package>', 'NOT_A_MANIFEST'],
    ['no organizations', `<manifest ${NS_2004}><organizations/><resources/></manifest>`, 'NO_ORGANIZATIONS'],
  ])('refuses %s', (_what, xml, code) => {
    expect(refusal(parseManifest(xml))).toBe(code);
  });

  it('refuses an organization with nothing to launch', () => {
    const xml = manifest({ items: '<item identifier="i1"><title>Folder</title></item>', resources: SCO('r1', 'a.html') });
    expect(parseManifest(xml)).toMatchObject({ ok: false, code: 'NO_LAUNCHABLE_SCO' });
  });

  it('refuses a dependency on a missing resource', () => {
    const xml = manifest({
      items: '<item identifier="i1" identifierref="r1"/>',
      resources: SCO('r1', 'a.html', '').replace('</resource>', '<dependency identifierref="gone"/></resource>'),
    });
    expect(parseManifest(xml)).toMatchObject({ code: 'RESOURCE_NOT_FOUND', reason: expect.stringContaining('dependency of resource "r1"') });
  });

  it('refuses duplicate item identifiers and items without one', () => {
    const twice = manifest({ items: '<item identifier="i1" identifierref="r1"/><item identifier="i1" identifierref="r1"/>', resources: SCO('r1', 'a.html') });
    expect(refusal(parseManifest(twice))).toBe('DUPLICATE_IDENTIFIER');
    const anonymous = manifest({ items: '<item identifierref="r1"/>', resources: SCO('r1', 'a.html') });
    expect(refusal(parseManifest(anonymous))).toBe('MISSING_IDENTIFIER');
  });

  it.each([['../outside.html'], ['/etc/passwd'], ['a/../../b.html']])('refuses a launch href leaving the package: %s', (href) => {
    const xml = manifest({ items: '<item identifier="i1" identifierref="r1"/>', resources: SCO('r1', href) });
    expect(refusal(parseManifest(xml))).toBe('HREF_OUTSIDE_PACKAGE');
  });

  it.each([
    ['a mastery score above 100', NS_12, '1.2', '<adlcp:masteryscore>150</adlcp:masteryscore>'],
    ['a mastery score that is not a number', NS_12, '1.2', '<adlcp:masteryscore>high</adlcp:masteryscore>'],
    ['a 1.2 max time that is not a timespan', NS_12, '1.2', '<adlcp:maxtimeallowed>2 hours</adlcp:maxtimeallowed>'],
    ['an unknown time limit action', NS_2004, undefined, '<adlcp:timeLimitAction>explode</adlcp:timeLimitAction>'],
    ['a completion threshold above 1', NS_2004, undefined, '<adlcp:completionThreshold>1.5</adlcp:completionThreshold>'],
    [
      'a passing measure below -1',
      NS_2004,
      undefined,
      '<imsss:sequencing><imsss:objectives><imsss:primaryObjective satisfiedByMeasure="true"><imsss:minNormalizedMeasure>-2</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives></imsss:sequencing>',
    ],
    ['a duration limit that is not ISO 8601', NS_2004, undefined, '<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit="2h"/></imsss:sequencing>'],
  ])('refuses %s', (_what, ns, schemaVersion, inner) => {
    const xml = manifest({ ns, schemaVersion, items: `<item identifier="i1" identifierref="r1">${inner}</item>`, resources: SCO('r1', 'a.html') });
    expect(parseManifest(xml)).toMatchObject({ ok: false, code: 'INVALID_VALUE', reason: expect.stringContaining('item "i1"') });
  });
});

describe('parseManifest: structure', () => {
  it('matches elements by local name whatever the namespace prefixes', () => {
    const xml = `<cp:manifest identifier="p" xmlns:cp="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:ext="http://www.adlnet.org/xsd/adlcp_v1p3">
      <cp:metadata><cp:schemaversion>2004 3rd Edition</cp:schemaversion></cp:metadata>
      <cp:organizations default="o"><cp:organization identifier="o"><cp:title>T</cp:title>
        <cp:item identifier="i" identifierref="r"><cp:title>Only</cp:title><ext:dataFromLMS>hello</ext:dataFromLMS></cp:item>
      </cp:organization></cp:organizations>
      <cp:resources><cp:resource identifier="r" type="webcontent" ext:scormType="sco" href="x.html"/></cp:resources>
    </cp:manifest>`;
    expect(parsed(xml)).toEqual({
      version: 'SCORM_2004',
      edition: '3rd Edition',
      title: 'T',
      scos: [{ identifier: 'i', title: 'Only', launchHref: 'x.html', scormType: 'sco', order: 0, dataFromLms: 'hello' }],
      assets: ['x.html'],
    });
  });

  it('accepts a byte order mark before the declaration', () => {
    const xml = `\uFEFF${manifest({ items: '<item identifier="i1" identifierref="r1"/>', resources: SCO('r1', 'a.html') })}`;
    expect(parsed(xml).scos).toHaveLength(1);
  });

  it('walks nested items depth-first in document order', () => {
    const items = `<item identifier="a"><item identifier="a1" identifierref="r1"/><item identifier="a2"><item identifier="a2x" identifierref="r2"/></item></item>
      <item identifier="b" identifierref="r3"/>`;
    const xml = manifest({ items, resources: SCO('r1', '1.html') + SCO('r2', '2.html') + SCO('r3', '3.html') });
    expect(parsed(xml).scos.map((sco) => [sco.identifier, sco.order])).toEqual([['a1', 0], ['a2x', 1], ['b', 2]]);
  });

  it('uses the first organization when <organizations> names no default', () => {
    const xml = `<manifest ${NS_2004}><organizations>
        <organization identifier="first"><title>First</title><item identifier="i1" identifierref="r1"/></organization>
        <organization identifier="second"><title>Second</title><item identifier="i2" identifierref="r1"/></organization>
      </organizations><resources>${SCO('r1', 'a.html')}</resources></manifest>`;
    expect(parsed(xml)).toMatchObject({ title: 'First', scos: [{ identifier: 'i1' }] });
  });

  it('applies xml:base of manifest, resources, resource and file, and treats a base without slash as a folder', () => {
    const xml = manifest({
      attrs: 'xml:base="course/"',
      items: '<item identifier="i1" identifierref="r1"/>',
      resources: `<resource identifier="r1" adlcp:scormType="sco" href="start.html?x=1" xml:base="sco1"><file href="start.html"/><file href="img/a.png" xml:base="media/"/><dependency identifierref="lib"/></resource>
        <resource identifier="lib" adlcp:scormType="asset" xml:base="shared/"><file href="../common/api.js"/><file href="https://cdn.example/x.js"/></resource>`,
    }).replace('<resources>', '<resources xml:base="content/">');
    const result = parsed(xml);
    expect(result.scos[0].launchHref).toBe('course/content/sco1/start.html?x=1');
    expect(result.assets).toEqual([
      'course/content/sco1/start.html',
      'course/content/sco1/media/img/a.png',
      'course/content/common/api.js',
    ]);
  });

  it('keeps an external launch URL as it is', () => {
    const xml = manifest({ items: '<item identifier="i1" identifierref="r1"/>', resources: SCO('r1', 'https://content.example/x.html?a=1', 'xml:base="ignored/"') });
    expect(parsed(xml).scos[0].launchHref).toBe('https://content.example/x.html?a=1');
  });

  it('decodes percent-escapes in asset paths but not in the launch URL', () => {
    const xml = manifest({ items: '<item identifier="i1" identifierref="r1"/>', resources: SCO('r1', 'my%20page.html') });
    expect(parsed(xml)).toMatchObject({ scos: [{ launchHref: 'my%20page.html' }], assets: ['my page.html'] });
  });

  it('infers the version from namespaces when <schemaversion> is absent', () => {
    const twelve = manifest({ ns: NS_12, schemaVersion: null, items: '<item identifier="i1" identifierref="r1"/>', resources: SCO('r1', 'a.html') });
    expect(parsed(twelve).version).toBe('SCORM_1.2');
    const other = manifest({ schemaVersion: null, items: '<item identifier="i1" identifierref="r1"/>', resources: SCO('r1', 'a.html') });
    expect(parsed(other)).toMatchObject({ version: 'SCORM_2004' });
    expect(parsed(other).edition).toBeUndefined();
  });

  it('takes a resource without scormType as a SCO, and reads the 1.2 lower-case attribute', () => {
    const xml = manifest({
      ns: NS_12,
      schemaVersion: '1.2',
      items: '<item identifier="i1" identifierref="r1"/><item identifier="i2" identifierref="r2"/>',
      resources: '<resource identifier="r1" href="a.html"/><resource identifier="r2" adlcp:scormtype="asset" href="b.pdf"/>',
    });
    expect(parsed(xml).scos.map((sco) => sco.scormType)).toEqual(['sco', 'asset']);
  });
});

describe('parseManifest: item settings', () => {
  const item2004 = (inner: string): Manifest['scos'][number] =>
    parsed(manifest({ items: `<item identifier="i1" identifierref="r1">${inner}</item>`, resources: SCO('r1', 'a.html') })).scos[0];
  const primary = (attrs: string, measure?: string): string =>
    `<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p" ${attrs}>${measure === undefined ? '' : `<imsss:minNormalizedMeasure>${measure}</imsss:minNormalizedMeasure>`}</imsss:primaryObjective></imsss:objectives></imsss:sequencing>`;

  it.each([
    ['3rd edition element text', '<adlcp:completionThreshold>0.8</adlcp:completionThreshold>', 0.8],
    ['4th edition minProgressMeasure', '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.6"/>', 0.6],
    ['4th edition default of 1.0', '<adlcp:completionThreshold completedByMeasure="true"/>', 1],
    ['completedByMeasure false', '<adlcp:completionThreshold completedByMeasure="false" minProgressMeasure="0.6"/>', undefined],
    ['only a rollup weight', '<adlcp:completionThreshold progressWeight="0.5"/>', undefined],
  ])('completion threshold from %s', (_what, inner, expected) => {
    expect(item2004(inner).completionThreshold).toBe(expected);
  });

  it.each([
    ['satisfiedByMeasure with a measure', primary('satisfiedByMeasure="true"', '0.65'), 0.65],
    ['satisfiedByMeasure without a measure (default 1.0)', primary('satisfiedByMeasure="true"'), 1],
    ['a measure that does not decide satisfaction', primary('satisfiedByMeasure="false"', '0.65'), undefined],
    ['no satisfiedByMeasure at all', primary('', '0.65'), undefined],
  ])('scaled passing score from %s', (_what, inner, expected) => {
    expect(item2004(inner).scaledPassingScore).toBe(expected);
  });

  it('keeps the item parameters and joins them to a query string in the href', () => {
    const xml = manifest({ items: '<item identifier="i1" identifierref="r1" parameters="?b=2&amp;c=3"/>', resources: SCO('r1', 'a.html?a=1') });
    expect(parsed(xml).scos[0]).toMatchObject({ launchHref: 'a.html?a=1&b=2&c=3', itemParameters: '?b=2&c=3' });
  });

  it('falls back to the identifier when an item has no title', () => {
    expect(item2004('').title).toBe('i1');
  });
});
