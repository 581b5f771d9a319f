import { Role } from '../../src/shared/permissions';
import { sanitizeRichText } from '../../src/modules/course/sanitize';
import { startTestApp, type TestApp } from '../support/app';
import { seedOrg, seedPlatformAdmin, type SeededOrg } from '../support/seed';
import { buildCourse, gqlOk, mutate, mutateOk } from '../support/catalog';
import { htmlDangers } from '../support/html-dangers';

const dangers = (html: string): string[] => htmlDangers([html])[0];

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<img src="https://ok.example/a.png" onerror="alert(1)" onload=alert(2)>',
  '<svg onload=alert(1)><circle r="1"/></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mtext><img src=x onerror=alert(1)></mtext></math>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="jav\nascript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<img src="http://insecure.example/a.png">',
  '<a href="//evil.example/">protocol-relative</a>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<iframe src="https://evil.example"></iframe>',
  '<p style="background:url(javascript:alert(1))">x</p>',
  '<div style="width: expression(alert(1))">x</div>',
  '<style>body{background:url("javascript:alert(1)")}</style>',
  '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><input type=submit formaction="javascript:alert(2)"></form>',
  '<base href="javascript:/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  '<details open ontoggle=alert(1)>x</details>',
  '<body onload=alert(1)>',
  '<img srcset="https://ok.example/a.png 1x, javascript:alert(1) 2x">',
  '<table background="javascript:alert(1)"><tr><td onmouseover=alert(1)>x</td></tr></table>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<template><img src=x onerror=alert(1)></template>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<a href="https://ok.example" target="_blank">ok</a>',
  '"><img src=x onerror=alert(1)>',
];

test('no XSS payload survives sanitizing', () => {
  const cleaned = PAYLOADS.map((payload) => sanitizeRichText(`<p>before</p>${payload}<p>after</p>`));
  const found = htmlDangers(cleaned);
  PAYLOADS.forEach((payload, i) => {
    expect({ payload, dangers: found[i] }).toEqual({ payload, dangers: [] });
    expect(cleaned[i]).not.toMatch(/javascript:|vbscript:|data:|onerror|onload|srcdoc|<script|expression\(/i);
  });
});

test('the danger detector itself finds every raw payload dangerous', () => {
  const harmlessAsIs = ['<scr<script>ipt>alert(1)</script>', '<!--<img src=x onerror=alert(1)>-->', '<a href="https://ok.example" target="_blank">ok</a>'];
  const raw = htmlDangers(PAYLOADS.filter((p) => !harmlessAsIs.includes(p)));
  raw.forEach((found) => expect(found.length).toBeGreaterThan(0));
});

test('ordinary rich text is kept', () => {
  const html = '<h2>标题</h2><p>一段<strong>重要</strong>的文字，<a href="https://example.com/x?a=1&amp;b=2">链接</a></p><ul><li>一</li></ul><img src="https://example.com/a.png" alt="图" />';
  expect(sanitizeRichText(html)).toBe(html);
  expect(sanitizeRichText('<a href="https://ok.example" target="_blank">ok</a>')).toBe('<a href="https://ok.example" target="_blank" rel="noopener noreferrer">ok</a>');
});

describe('over the API', () => {
  let t: TestApp;
  let org: SeededOrg;
  let author: string;
  beforeAll(async () => {
    t = await startTestApp();
    org = await seedOrg(t.owner, 'clean-a');
    await seedOrg(t.owner, 'clean-b');
    await org.user('author', [Role.AUTHOR]);
    author = await t.token(org.id, org.users.author.externalId);
  });
  afterAll(async () => {
    await t.close();
  });

  test('PAGE html is sanitized on create and update, and a page left empty is refused', async () => {
    const course = await buildCourse(t, author, 'XSS-1', [0], { publish: false });
    const payload = PAYLOADS.join('\n');
    const created = await mutateOk<{ activity: { id: string; page: { html: string } } }>(t, author, 'createActivity', 'CreateActivityInput',
      { moduleId: course.modules[0], kind: 'PAGE', title: { zhCN: '页' }, page: { html: `<p>正文</p>${payload}` } }, 'activity { id page { html } }');
    expect(dangers(created.activity.page.html)).toEqual([]);
    expect(created.activity.page.html).toContain('<p>正文</p>');
    const updated = await mutateOk<{ activity: { page: { html: string } } }>(t, author, 'updateActivity', 'UpdateActivityInput',
      { id: created.activity.id, page: { html: `<p>新</p>${payload}` } }, 'activity { page { html } }');
    expect(dangers(updated.activity.page.html)).toEqual([]);
    const [row] = await t.owner.query(`SELECT content->>'html' AS html FROM activity WHERE content->>'html' LIKE '%新%'`);
    expect(dangers(row.html)).toEqual([]);
    const empty = await mutate(t, author, 'createActivity', 'CreateActivityInput',
      { moduleId: course.modules[0], kind: 'PAGE', title: { zhCN: '空' }, page: { html: '<script>alert(1)</script>' } }, 'activity { id }');
    expect(empty.errors[0]).toMatchObject({ code: 'INVALID', path: ['input', 'page', 'html'] });
  });

  test('VIDEO urls must be https and template pages are sanitized too', async () => {
    const course = await buildCourse(t, author, 'XSS-2', [0], { publish: false });
    const video = await mutate(t, author, 'createActivity', 'CreateActivityInput',
      { moduleId: course.modules[0], kind: 'VIDEO', title: { zhCN: '视频' }, video: { url: 'javascript:alert(1)' } }, 'activity { id }');
    expect(video.errors[0]).toMatchObject({ code: 'INVALID', path: ['input', 'video', 'url'] });
    const root = await t.token(undefined, await seedPlatformAdmin(t.owner));
    const tpl = await mutateOk<{ template: { id: string } }>(t, root, 'publishCourseTemplate', 'PublishCourseTemplateInput', {
      code: 'xss-template', title: { zhCN: '模板' },
      modules: [{ title: { zhCN: '章' }, activities: [{ kind: 'PAGE', title: { zhCN: '页' }, page: { html: `<p>ok</p>${PAYLOADS.join('')}` } }] }],
    }, 'template { id }');
    const versions = (await gqlOk(t, `query($id: ID!) { courseTemplate(id: $id) { versions { content } } }`, { id: tpl.template.id }, root)).courseTemplate.versions;
    expect(dangers(versions[0].content.modules[0].activities[0].content.html)).toEqual([]);
  });
});
