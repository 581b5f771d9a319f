import { randomBytes } from 'node:crypto';
import type { Locale } from '../../shared/context';
import { escapeHtml } from '../../shared/html';
import { localize, type MessageText } from '../../shared/i18n/message';

/** A page the LTI routes answer: its HTML and the headers that go with it. */
export interface Page {
  html: string;
  headers: Record<string, string>;
}

/** Page texts (not errors): both languages side by side. */
const TEXT = {
  refused: { 'zh-CN': '无法从学习平台启动', en: 'The launch from your learning platform was refused' },
  retry: { 'zh-CN': '请回到学习平台重新打开此活动;如果问题持续,请联系管理员。', en: 'Go back to your learning platform and open the activity again; if it keeps failing, contact your administrator.' },
  continuing: { 'zh-CN': '正在继续…', en: 'Continuing…' },
  noScript: { 'zh-CN': '请点击继续。', en: 'Please press Continue.' },
  continue: { 'zh-CN': '继续', en: 'Continue' },
  registered: { 'zh-CN': 'Coursegraph 已注册到学习平台,可以关闭此窗口。', en: 'Coursegraph is registered with your learning platform. You may close this window.' },
  pickTitle: { 'zh-CN': '选择要添加的课程或活动', en: 'Choose a course or activity to add' },
  wholeCourse: { 'zh-CN': '整门课程', en: 'Whole course' },
  add: { 'zh-CN': '添加', en: 'Add' },
  noCourses: { 'zh-CN': '本组织还没有已发布的课程。', en: 'This organization has no published course yet.' },
} as const;

type TextKey = keyof typeof TEXT;
const t = (key: TextKey, locale: Locale): string => TEXT[key][locale];

const origins = (urls: string[]): string => [...new Set(urls.map((u) => new URL(u).origin))].join(' ');

function page(locale: Locale, title: string, body: string, options: { script?: string; formAction?: string[] } = {}): Page {
  const nonce = randomBytes(16).toString('base64');
  const script = options.script ? `<script nonce="${nonce}">${options.script}</script>` : '';
  const formAction = options.formAction?.length ? `'self' ${origins(options.formAction)}` : `'none'`;
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}`
    + `button{font-size:1rem;padding:.3rem .8rem}li{margin:.3rem 0}</style></head><body>${body}${script}</body></html>`;
  return {
    html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; base-uri 'none'; form-action ${formAction}`,
      'referrer-policy': 'same-origin',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  };
}

/** A refused launch, login or registration: what went wrong, in the reader's language. */
export function refusalPage(locale: Locale, reason: MessageText): Page {
  const title = t('refused', locale);
  return page(locale, title, `<main><h1>${escapeHtml(title)}</h1><p id="reason">${escapeHtml(localize(reason, locale))}</p><p>${escapeHtml(t('retry', locale))}</p></main>`);
}

const hiddenFields = (fields: Record<string, string>): string =>
  Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('');

/** A form the browser submits at once (POST), with a button for when scripts are off. */
export function autoPostPage(locale: Locale, action: string, fields: Record<string, string>): Page {
  const body = `<form id="f" method="post" action="${escapeHtml(action)}">${hiddenFields(fields)}<p>${escapeHtml(t('continuing', locale))}</p>`
    + `<noscript><p>${escapeHtml(t('noScript', locale))}</p><button type="submit">${escapeHtml(t('continue', locale))}</button></noscript></form>`;
  return page(locale, t('continuing', locale), body, { script: `document.getElementById('f').submit();`, formAction: [action] });
}

/**
 * The script part of the LTI client-side postMessage storage (IMS "OIDC Login with LTI Client
 * Side postMessages"): messages go to the platform's storage frame (`_parent` is the parent
 * window itself), answers are accepted from the platform's origin only, a silent platform times
 * out after 3 s.
 */
const STORAGE_JS = `
function ltiFrame(target){var p=window.parent!==window?window.parent:window.opener;if(!p)return null;if(target==='_parent')return p;try{return p.frames[target]||null}catch(e){return null}}
function ltiAsk(frame,origin,subject,key,value){return new Promise(function(resolve,reject){
  var id=subject+'-'+Math.random().toString(36).slice(2);
  var timer=setTimeout(function(){window.removeEventListener('message',on);reject(new Error('timeout'))},3000);
  function on(e){if(e.origin!==origin||!e.data||e.data.message_id!==id||e.data.subject!==subject+'.response')return;
    clearTimeout(timer);window.removeEventListener('message',on);if(e.data.error)reject(new Error(e.data.error.code||'error'));else resolve(e.data);}
  window.addEventListener('message',on);
  var m={subject:subject,message_id:id,key:key};if(value!==undefined)m.value=value;frame.postMessage(m,origin);});}
`;

/** The login page when the platform offers client-side storage: state and nonce go to the platform's frame, then on to its authorization endpoint. */
export function loginStoragePage(locale: Locale, input: { authRequestUrl: string; storageTarget: string; platformOrigin: string; state: string; nonce: string }): Page {
  const data = JSON.stringify(input).replace(/</g, '\\u003c');
  const script = `${STORAGE_JS}
var d=${data};var f=ltiFrame(d.storageTarget);
var go=function(){window.location.href=d.authRequestUrl};
if(!f){go()}else{Promise.all([ltiAsk(f,d.platformOrigin,'lti.put_data','state_'+d.state,d.state),ltiAsk(f,d.platformOrigin,'lti.put_data','nonce_'+d.nonce,d.nonce)]).then(go,go)}`;
  return page(locale, t('continuing', locale), `<p>${escapeHtml(t('continuing', locale))}</p>`, { script });
}

/**
 * The launch page when the browser came back without the login cookie but the platform offers
 * client-side storage: it reads state and nonce back from the platform's frame, and only when
 * both match posts the launch again to the tool itself (the server accepts that second post only
 * from its own origin).
 */
export function launchStoragePage(locale: Locale, input: { action: string; idToken: string; state: string; nonce: string; storageTarget: string; platformOrigin: string; failure: string }): Page {
  const data = JSON.stringify({ ...input, idToken: undefined }).replace(/</g, '\\u003c');
  const body = `<form id="f" method="post" action="${escapeHtml(input.action)}">${hiddenFields({ id_token: input.idToken, state: input.state, lti_storage_checked: '1' })}</form>`
    + `<p id="status">${escapeHtml(t('continuing', locale))}</p>`;
  const script = `${STORAGE_JS}
var d=${data};var f=ltiFrame(d.storageTarget);
var fail=function(){document.getElementById('status').textContent=d.failure};
if(!f){fail()}else{Promise.all([ltiAsk(f,d.platformOrigin,'lti.get_data','state_'+d.state),ltiAsk(f,d.platformOrigin,'lti.get_data','nonce_'+d.nonce)]).then(function(r){
  if(r[0].value===d.state&&r[1].value===d.nonce)document.getElementById('f').submit();else fail()},fail)}`;
  return page(locale, t('continuing', locale), body, { script, formAction: [input.action] });
}

/** The answer to a dynamic registration: tells the platform's window it may close this one. */
export function registeredPage(locale: Locale): Page {
  const script = `var w=window.opener||window.parent;if(w&&w!==window)w.postMessage({subject:'org.imsglobal.lti.close'},'*');`;
  return page(locale, t('registered', locale), `<p>${escapeHtml(t('registered', locale))}</p>`, { script });
}

/** One published course and its activities, as the deep-linking picker lists them. */
export interface PickerCourse {
  id: string;
  code: string;
  title: string;
  activities: { id: string; title: string }[];
}

/** The deep-linking picker: one button per course and per activity, posting the choice with the picker's ticket. */
export function pickerPage(locale: Locale, action: string, ticket: string, courses: PickerCourse[]): Page {
  const title = t('pickTitle', locale);
  const button = (name: string, value: string, label: string) =>
    `<form method="post" action="${escapeHtml(action)}">${hiddenFields({ ticket, [name]: value })}<button type="submit">${escapeHtml(t('add', locale))}</button> ${escapeHtml(label)}</form>`;
  const items = courses.map((c) => `<li><strong>${escapeHtml(c.title)}</strong> (${escapeHtml(c.code)})${button('course', c.id, t('wholeCourse', locale))}`
    + `<ul>${c.activities.map((a) => `<li>${button('activity', a.id, a.title)}</li>`).join('')}</ul></li>`).join('');
  const body = `<main><h1>${escapeHtml(title)}</h1>${courses.length ? `<ul>${items}</ul>` : `<p>${escapeHtml(t('noCourses', locale))}</p>`}</main>`;
  return page(locale, title, body, { formAction: [action] });
}
