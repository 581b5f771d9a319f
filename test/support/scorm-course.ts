import { buildZip } from './zip-builder';
import { uploadPackage } from './scorm-package';
import { gqlOk, mutateOk } from './catalog';
import type { GqlClient } from './app';

/** A one-SCO SCORM 2004 4th edition manifest with optional completion threshold and passing score. */
export function manifest2004(options: { completionThreshold?: number; passingScore?: number; title?: string } = {}): string {
  const threshold = options.completionThreshold === undefined ? '' : `<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="${options.completionThreshold}"/>`;
  const passing = options.passingScore === undefined ? '' : `<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true"><imsss:minNormalizedMeasure>${options.passingScore}</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives></imsss:sequencing>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="cg.test.2004" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>${options.title ?? '测试课件'}</title>
    <item identifier="item1" identifierref="res1"><title>第一课</title>${threshold}${passing}</item>
  </organization></organizations>
  <resources><resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="index.html"><file href="index.html"/></resource></resources>
</manifest>`;
}

/** A one-SCO SCORM 1.2 manifest with an optional mastery score. */
export function manifest12(options: { masteryScore?: number } = {}): string {
  const mastery = options.masteryScore === undefined ? '' : `<adlcp:masteryscore>${options.masteryScore}</adlcp:masteryscore>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="cg.test.12" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>测试课件</title>
    <item identifier="item1" identifierref="res1"><title>第一课</title>${mastery}</item>
  </organization></organizations>
  <resources><resource identifier="res1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources>
</manifest>`;
}

/** A package zip: a manifest and its SCO page. */
export function scormZip(manifest: string, html = '<!doctype html><title>SCO</title><p>SCO</p>'): Promise<Buffer> {
  return buildZip([{ name: 'imsmanifest.xml', data: manifest }, { name: 'index.html', data: html }]);
}

/** Uploads a package, builds a published course with one module of its SCOs, and assigns it. */
export async function scormCourse(t: GqlClient, author: string, admin: string, zip: Buffer, code: string, learnerIds: string[]): Promise<{ courseId: string; activityIds: string[] }> {
  const upload = await uploadPackage(t.url, zip, author);
  if (upload.status !== 201) throw new Error(`upload failed: ${JSON.stringify(upload.body)}`);
  const packageId = (upload.body.package as { id: string }).id;
  const zh = (s: string) => ({ zhCN: s, en: s });
  const course = await mutateOk<{ course: { id: string } }>(t, author, 'createCourse', 'CreateCourseInput', { code, title: zh(`SCORM ${code}`) }, 'course { id }');
  const module = await mutateOk<{ module: { id: string } }>(t, author, 'createModule', 'CreateModuleInput', { courseId: course.course.id, title: zh('模块') }, 'module { id }');
  const added = await mutateOk<{ activities: { id: string }[] }>(t, author, 'addScormActivities', 'AddScormActivitiesInput', { moduleId: module.module.id, packageId }, 'activities { id }');
  await mutateOk(t, author, 'publishCourse', 'CourseIdInput', { id: course.course.id }, 'course { id }');
  await mutateOk(t, admin, 'assignCourse', 'AssignCourseInput', { courseId: course.course.id, userIds: learnerIds }, 'enrollments { id }');
  return { courseId: course.course.id, activityIds: added.activities.map((a) => a.id) };
}

export interface LaunchResult {
  attemptId: string;
  attemptNumber: number;
  version: string;
  entry: string;
  contentUrl: string;
  commitUrl: string;
  playerUrl: string;
  cmi: Record<string, any>;
}

/** Launches an activity as the learner. */
export async function launch(t: GqlClient, learner: string, activityId: string): Promise<LaunchResult> {
  const data = await gqlOk<{ launchActivity: { launch: LaunchResult | null; errors: unknown[] } }>(t,
    'mutation($input: LaunchActivityInput!) { launchActivity(input: $input) { launch { attemptId attemptNumber version entry contentUrl commitUrl playerUrl cmi } errors { code message } } }',
    { input: { activityId } }, learner);
  if (!data.launchActivity.launch) throw new Error(`launch failed: ${JSON.stringify(data.launchActivity.errors)}`);
  return data.launchActivity.launch;
}

/** Posts a commit the way scorm-again does: JSON, or text/plain for the final beacon. */
export async function commit(url: string, cmi: unknown, sequence: number | undefined, final = false): Promise<{ status: number; body: { result: boolean; errorCode: number; reason?: string } }> {
  const body = JSON.stringify(sequence === undefined ? { cmi } : { cmi, commitSequence: sequence });
  const res = await fetch(final ? `${url}?final=true` : url, {
    method: 'POST', headers: { 'content-type': final ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8' }, body,
  });
  return { status: res.status, body: (await res.json()) as { result: boolean; errorCode: number; reason?: string } };
}
