import { escapeHtml } from '../../shared/html';
import type { PlayerNavigation } from './player-navigation';
import type { ScormCmi } from './initial-cmi';

/** What the reference player page is built from. */
export interface PlayerConfig {
  title: string;
  version: 'SCORM_1.2' | 'SCORM_2004';
  /** The activity's global id, in the messages to the embedding page. */
  activityId: string;
  contentUrl: string;
  commitUrl: string;
  /** Where the player sends its snapshot when the page goes away under a running SCO. */
  closingUrl: string;
  /** Where the player asks for the next SCO's player when the SCO navigates. */
  navigateUrl: string;
  navigation: PlayerNavigation;
  cmi: ScormCmi;
  scriptUrl: string;
}

/** JSON that is safe inside an inline <script>: no `</script>`, no HTML comments, no U+2028. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The reference player: hosts the SCO in an iframe with scorm-again as `API_1484_11` (2004) or
 * `API` (1.2) and commits as JSON with a commit sequence. Only the SCO's Terminate ends its
 * attempt: when the page goes away first (a closed or discarded tab, the LMS removing the frame)
 * the player sends a snapshot beacon that keeps the attempt resumable. At Terminate it carries out
 * the SCO's navigation request: another SCO of the package, or back to the LMS, told by
 * `postMessage` (README, "The reference player"). The initial data is loaded in this window's
 * own realm (scorm-again recognises nested objects by their constructor).
 */
export function playerPage(config: PlayerConfig, nonce: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(config.title)}</title>
<style>html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%;display:block}p{font:16px sans-serif;margin:2em;text-align:center}</style>
<script src="${escapeHtml(config.scriptUrl)}"></script>
</head><body>
<iframe id="sco" title="${escapeHtml(config.title)}" allow="fullscreen"></iframe>
<script nonce="${nonce}">
(function () {
  var config = JSON.parse(${JSON.stringify(scriptJson(config))});
  var settings = { lmsCommitUrl: config.commitUrl, dataCommitFormat: 'json', includeCommitSequence: true,
    terminateCommitParam: 'final', autocommit: true, autocommitSeconds: 60, logLevel: 5,
    // adl.nav.request_valid.choice / jump answer from these: the package's other SCOs.
    scoItemIds: config.navigation.choices };
  var is12 = config.version === 'SCORM_1.2';
  var api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  api.loadFromJSON(config.cmi, '');
  if (!is12) offer(api.adl.nav.request_valid, config.navigation);
  window[is12 ? 'API' : 'API_1484_11'] = api;
  var startedAt = 0, request = '_none_', ended = false;
  api.on(is12 ? 'LMSInitialize' : 'Initialize', function () { startedAt = Date.now(); });
  api.on('SetValue.adl.nav.request', function (element, value) { request = value; });
  api.on(is12 ? 'LMSFinish' : 'Terminate', function () { setTimeout(afterTerminate, 0); });

  function offer(valid, nav) {
    valid.continue = nav.continue ? 'true' : 'false';
    valid.previous = nav.previous ? 'true' : 'false';
  }
  function tell(type, detail) {
    var message = { type: 'coursegraph.scorm.' + type, activityId: config.activityId, request: detail.request };
    if (detail.playerUrl) message.playerUrl = detail.playerUrl;
    if (window.parent !== window) window.parent.postMessage(message, '*');
  }
  function pad(n, width) { var s = String(n); while (s.length < width) s = '0' + s; return s; }
  function sessionTime(cmi) {
    var seconds = startedAt ? Math.round((Date.now() - startedAt) / 10) / 100 : 0;
    if (is12) {
      var t = cmi.core.session_time;
      if (!t || t === '00:00:00') cmi.core.session_time = pad(Math.floor(seconds / 3600), 4) + ':' + pad(Math.floor(seconds % 3600 / 60), 2) + ':' + pad((seconds % 60).toFixed(2), 5);
    } else if (!cmi.session_time || cmi.session_time === 'PT0H0M0S') {
      cmi.session_time = 'PT' + seconds.toFixed(2) + 'S';
    }
  }
  function running() { return api.isInitialized() && !api.isTerminated(); }
  // What the SCO has now, with the time so far (the SCO's own, or the time since Initialize).
  function current() {
    var body = api.getCommitObject(false);
    sessionTime(body.cmi);
    return body;
  }
  // A page may close without running any handler (a killed or discarded tab): the bookmark is
  // stored within a second of the SCO moving it, whether or not the SCO commits.
  var keeping = 0;
  (is12 ? ['LMSSetValue.cmi.core.lesson_location', 'LMSSetValue.cmi.suspend_data', 'LMSSetValue.cmi.core.exit']
    : ['SetValue.cmi.location', 'SetValue.cmi.suspend_data', 'SetValue.cmi.exit']).forEach(function (name) {
    api.on(name, function () { if (!keeping) keeping = setTimeout(keep, 1000); });
  });
  function keep() {
    keeping = 0;
    if (running()) api.processHttpRequest(config.commitUrl, current(), false);
  }
  // The page goes away under a running SCO: store where the learner is and keep the attempt resumable.
  function snapshot() {
    if (running()) api.processHttpRequest(config.closingUrl, current(), true);
  }
  window.addEventListener('pagehide', snapshot);
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') snapshot(); });

  function afterTerminate() {
    if (ended) return;
    ended = true;
    var move = /^(?:\\{target=([^}]*)\\})?(continue|previous|choice|jump)$/.exec(request);
    if (!move) return leave(request);
    fetch(config.navigateUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request: move[2], target: move[1] }) })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (next) {
        if (!next) return leave(move[2]);
        tell('navigate', { request: move[2], playerUrl: next.playerUrl });
        window.location.replace(next.playerUrl);
      }, function () { leave(move[2]); });
  }
  // Nothing more to show here: close the SCO and hand back to the LMS.
  function leave(why) {
    var note = document.createElement('p');
    note.id = 'ended';
    note.textContent = '本课已结束。';
    document.getElementById('sco').replaceWith(note);
    tell('exit', { request: why });
  }
  window.coursegraphPlayer = { api: api };
  document.getElementById('sco').src = config.contentUrl;
})();
</script>
</body></html>`;
}
