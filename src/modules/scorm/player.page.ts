import { escapeHtml } from '../../shared/html';

/** What the reference player page is built from. */
export interface PlayerConfig {
  title: string;
  version: 'SCORM_1.2' | 'SCORM_2004';
  contentUrl: string;
  commitUrl: string;
  cmi: Record<string, unknown>;
  scriptUrl: string;
}

/** JSON that is safe inside an inline <script>: no `</script>`, no HTML comments, no U+2028. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The reference player: hosts the SCO in an iframe with scorm-again as `API_1484_11` (2004) or
 * `API` (1.2), commits as JSON with a commit sequence, and terminates on `pagehide` so closing
 * the tab sends the final commit as a beacon. The initial data is loaded in this window's own
 * realm (scorm-again recognises nested objects by their constructor).
 */
export function playerPage(config: PlayerConfig, nonce: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(config.title)}</title>
<style>html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%;display:block}</style>
<script src="${escapeHtml(config.scriptUrl)}"></script>
</head><body>
<iframe id="sco" title="${escapeHtml(config.title)}" allow="fullscreen"></iframe>
<script nonce="${nonce}">
(function () {
  var config = JSON.parse(${JSON.stringify(scriptJson(config))});
  var settings = { lmsCommitUrl: config.commitUrl, dataCommitFormat: 'json', includeCommitSequence: true,
    terminateCommitParam: 'final', autocommit: true, autocommitSeconds: 60, logLevel: 5 };
  var is12 = config.version === 'SCORM_1.2';
  var api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  api.loadFromJSON(config.cmi, '');
  window[is12 ? 'API' : 'API_1484_11'] = api;
  var finished = false;
  function finish() {
    if (finished) return;
    finished = true;
    if (api.isInitialized() && !api.isTerminated()) { if (is12) api.LMSFinish(''); else api.Terminate(''); }
  }
  window.addEventListener('pagehide', finish);
  window.coursegraphPlayer = { api: api, finish: finish };
  document.getElementById('sco').src = config.contentUrl;
})();
</script>
</body></html>`;
}
