import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseManifest, type Manifest, type ManifestErrorCode } from '../../../src/modules/scorm/engine/manifest';

// The shared folder is a sibling of the repository root, wherever the repository is cloned.
const REPO_ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.resolve(REPO_ROOT, '../shared/fixtures/scorm-manifests');

const folders = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function parseFixture(folder: string): ReturnType<typeof parseManifest> {
  return parseManifest(readFileSync(path.join(FIXTURES, folder, 'imsmanifest.xml'), 'utf8'));
}

function parsedFixture(folder: string): Manifest {
  const result = parseFixture(folder);
  if (!result.ok) throw new Error(`${folder} was refused: ${result.code} ${result.reason}`);
  return result.manifest;
}

/** Fixtures a conforming importer must refuse, with the code it refuses them with. */
const REFUSED: Record<string, ManifestErrorCode> = {
  MalformedXml_SCORM12: 'MALFORMED_XML',
  MissingLaunchUrl_SCORM12: 'MISSING_LAUNCH_HREF',
  ItemWithNonExistentResourceId_SCORM12: 'RESOURCE_NOT_FOUND',
  'adl-cts-invalid_CM-01-broken-default-org': 'DEFAULT_ORGANIZATION_NOT_FOUND',
  // <organizations default="org1"> while the only organization has no identifier.
  InvalidMissingOrgIdentifier_SCORM20043rdEdition: 'DEFAULT_ORGANIZATION_NOT_FOUND',
};

const GOLF_FILES = 39;

/** Exact expectations for a sample of the fixtures; the rest get the sanity checks below. */
const EXPECTED: Record<string, { version: Manifest['version']; edition?: string; scos: number; launch: string[]; assets?: number }> = {
  ContentPackagingSingleSCO_SCORM12: { version: 'SCORM_1.2', scos: 1, launch: ['shared/launchpage.html'], assets: GOLF_FILES },
  ContentPackagingSingleSCO_SCORM20042ndEdition: { version: 'SCORM_2004', edition: '2nd Edition', scos: 1, launch: ['shared/launchpage.html'], assets: GOLF_FILES },
  ContentPackagingSingleSCO_SCORM20043rdEdition: { version: 'SCORM_2004', edition: '3rd Edition', scos: 1, launch: ['shared/launchpage.html'], assets: GOLF_FILES },
  ContentPackagingNoSchemaVersion_SCORM20042ndEdition: { version: 'SCORM_2004', scos: 1, launch: ['index.html'] },
  MinimalValid_SCORM20043rdEdition: { version: 'SCORM_2004', edition: '3rd Edition', scos: 1, launch: ['index.html'] },
  ContentPackagingOneFilePerSCO_SCORM12: {
    version: 'SCORM_1.2',
    scos: 18,
    launch: ['Playing/Playing.html', 'Playing/Par.html', 'Playing/Scoring.html', 'Playing/OtherScoring.html', 'Playing/RulesOfGolf.html', 'shared/assessmenttemplate.html?questions=Playing'],
    assets: GOLF_FILES,
  },
  LaunchUrlFromNestedItem_SCORM12: { version: 'SCORM_1.2', scos: 2, launch: ['content/topic1.html', 'content/section2.html'] },
  MultipleItemsWithIdentifierRef_SCORM12: { version: 'SCORM_1.2', scos: 3, launch: ['content/item1.html', 'content/item2.html', 'content/item3.html'] },
  ComplexNestedOrganization_SCORM12: {
    version: 'SCORM_1.2',
    scos: 11,
    launch: ['content/module1.html', 'content/chapter1_1.html', 'content/section1_1_1.html', 'content/topic1_1_1_1.html', 'content/topic1_1_1_2.html', 'content/section1_1_2.html', 'content/chapter1_2.html', 'content/module2.html', 'content/chapter2_1.html', 'content/section2_1_1.html', 'content/module3.html'],
  },
  SequencingRandomTest_SCORM20043rdEdition: {
    version: 'SCORM_2004',
    edition: '3rd Edition',
    scos: 8,
    launch: ['shared/launchpage.html?content=playing', 'shared/launchpage.html?content=etiquette', 'shared/launchpage.html?content=handicapping', 'shared/launchpage.html?content=havingfun', 'shared/launchpage.html?content=assessment1'],
  },
  'adl-cts_CM-01': {
    version: 'SCORM_2004',
    edition: '4th Edition',
    scos: 3,
    launch: ['resources/SequencingTest.htm?tc=CM-01&act=1', 'resources/SequencingTest.htm?tc=CM-01&act=2', 'resources/SequencingTest.htm?tc=CM-01&act=3'],
    assets: 7,
  },
};

describe('parseManifest over every fixture package', () => {
  it('finds the fixtures', () => {
    expect(folders.length).toBeGreaterThan(200);
    for (const name of [...Object.keys(REFUSED), ...Object.keys(EXPECTED)]) expect(folders).toContain(name);
  });

  it.each(folders)('%s is parsed or refused as expected', (folder) => {
    const result = parseFixture(folder);
    const refusal = REFUSED[folder];
    if (refusal) {
      expect(result).toMatchObject({ ok: false, code: refusal });
      if (!result.ok) expect(result.reason.length).toBeGreaterThan(20);
      return;
    }
    if (!result.ok) throw new Error(`${folder} was refused: ${result.code} ${result.reason}`);
    const { manifest } = result;
    expect(manifest.title.trim()).not.toBe('');
    expect(manifest.scos.length).toBeGreaterThan(0);
    expect(new Set(manifest.scos.map((sco) => sco.identifier)).size).toBe(manifest.scos.length);
    expect(manifest.scos.map((sco) => sco.order)).toEqual(manifest.scos.map((_, i) => i));
    for (const sco of manifest.scos) {
      expect(sco.launchHref).toMatch(/^[^/?#]/);
      expect(sco.launchHref.split(/[?#]/)[0].split('/')).not.toContain('..');
      expect(sco.title.trim()).not.toBe('');
    }
    expect(manifest.assets.length).toBeGreaterThan(0);
    expect(manifest.assets.every((file) => file !== '' && !file.includes('?'))).toBe(true);
    const expected = EXPECTED[folder];
    if (!expected) return;
    expect(manifest.version).toBe(expected.version);
    expect(manifest.edition).toBe(expected.edition);
    expect(manifest.scos).toHaveLength(expected.scos);
    expect(manifest.scos.slice(0, expected.launch.length).map((sco) => sco.launchHref)).toEqual(expected.launch);
    if (expected.assets !== undefined) expect(manifest.assets).toHaveLength(expected.assets);
  });
});

describe('parseManifest details from the fixtures', () => {
  it('reads the Golf single SCO package completely', () => {
    const manifest = parsedFixture('ContentPackagingSingleSCO_SCORM12');
    expect(manifest).toMatchObject({ version: 'SCORM_1.2', title: 'Golf Explained - CP Single SCO' });
    expect(manifest.scos).toEqual([
      { identifier: 'item_1', title: 'Golf Explained', launchHref: 'shared/launchpage.html', scormType: 'sco', order: 0 },
    ]);
    expect(manifest.assets).toContain('Etiquette/Course.html');
    expect(manifest.assets).toContain('shared/scormfunctions.js');
  });

  it('lists asset items as launchable, tagged asset, with the quiz parameters appended', () => {
    const manifest = parsedFixture('ContentPackagingOneFilePerSCO_SCORM20043rdEdition');
    expect(manifest.scos.every((sco) => sco.scormType === 'asset')).toBe(true);
    const quiz = manifest.scos.find((sco) => sco.identifier === 'etiquette_quiz_item');
    expect(quiz).toMatchObject({ launchHref: 'shared/assessmenttemplate.html?questions=Etiquette', itemParameters: '?questions=Etiquette' });
    expect(manifest.assets).toContain('shared/launchpage.html');
  });

  it('applies xml:base on resources and dependencies, and decodes &amp; in parameters', () => {
    const manifest = parsedFixture('adl-cts_CM-01');
    expect(manifest.scos[0]).toMatchObject({ itemParameters: '?tc=CM-01&act=1', maxTimeAllowed: 'P5Y6M4DT12H30M58S' });
    expect(manifest.scos[1]).toMatchObject({ scaledPassingScore: 0.8 });
    expect(manifest.scos[2]).toMatchObject({ scaledPassingScore: 0.7, maxTimeAllowed: 'P5Y6M4DT12H30M58.55S' });
    expect(manifest.assets).toEqual([
      'resources/SequencingTest.htm',
      'common/lmsrtefunctions.js',
      'common/LMSTest.jar',
      'common/About.js',
      'common/EmulationCode.js',
      'common/BrowserDetect.js',
      'includes/LMSTestContentPackages_style.css',
    ]);
  });

  it('marks the asset activity of the ADL API package', () => {
    const manifest = parsedFixture('adl-cts_API');
    expect(manifest.scos.map((sco) => sco.scormType)).toEqual(['asset', 'sco', 'sco']);
  });

  it('reads 2004 ADL attributes: launch data, time limit action, completion threshold', () => {
    const [sco] = parsedFixture('AdlAttributes_SCORM20043rdEdition').scos;
    expect(sco).toMatchObject({ dataFromLms: 'Launch Data', timeLimitAction: 'exit,message', completionThreshold: 0.75 });
  });

  it('reads 1.2 mastery score, max time and launch data per item', () => {
    const manifest = parsedFixture('PrerequisitesTest_SCORM12');
    expect(manifest.scos.map((sco) => [sco.identifier, sco.masteryScore, sco.maxTimeAllowed, sco.dataFromLms, sco.timeLimitAction])).toEqual([
      ['module1', 80, '02:30:00', undefined, undefined],
      ['module2', undefined, undefined, 'custom_data_for_module2', undefined],
      ['module3', undefined, undefined, undefined, 'exit,message'],
      ['module4', 90, undefined, undefined, undefined],
    ]);
  });

  it('uses only the default organization', () => {
    const manifest = parsedFixture('ComplexNestedOrganization_SCORM12');
    expect(manifest.title).toBe('Complex Nested Organization Test');
    expect(manifest.scos.map((sco) => sco.identifier)).not.toContain('alt_item_1');
  });

  it('explains the refusals', () => {
    expect(parseFixture('MalformedXml_SCORM12')).toMatchObject({ reason: expect.stringMatching(/line 27/) });
    expect(parseFixture('MissingLaunchUrl_SCORM12')).toMatchObject({ reason: expect.stringContaining('"resource_1", which has no href') });
    expect(parseFixture('ItemWithNonExistentResourceId_SCORM12')).toMatchObject({ reason: expect.stringContaining('"non_existent_resource"') });
    expect(parseFixture('adl-cts-invalid_CM-01-broken-default-org')).toMatchObject({ reason: expect.stringContaining('"NONEXISTENT_ORG"') });
  });
});
