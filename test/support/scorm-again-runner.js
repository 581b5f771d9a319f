/**
 * Plays a scripted SCO against the real scorm-again browser bundle in a jsdom window and prints
 * the commit requests scorm-again sent, as JSON on stdout.
 *
 * It runs as its own Node process because jsdom 28 depends on ES-module-only packages that
 * jest's CommonJS module loader cannot require (plain Node 20.19+ can).
 *
 * stdin: { "api": "Scorm2004API" | "Scorm12API", "settings": {...}, "initial": {...},
 *          "calls": [["SetValue", "cmi.location", "p1"], ["Commit", ""], ...],
 *          "live": { "url": "<page URL>" } (optional) }
 *
 * Without `live` the transport is captured and answered locally. With `live`, scorm-again talks
 * to a real server over HTTP: jsdom's own XMLHttpRequest (synchronous, as scorm-again uses it) for
 * ordinary commits, and a beacon that posts the same text/plain Blob with fetch.
 * stdout: { "returns": [[method, result, lastError], ...], "requests": [{ transport, url, contentType, body }] }
 */
'use strict';

const { Blob } = require('node:buffer');
const { readFileSync } = require('node:fs');
const { JSDOM } = require('jsdom');

function liveWindow(pending, url) {
  const window = new JSDOM('<!doctype html><html><body></body></html>', { url, runScripts: 'outside-only' }).window;
  window.Blob = Blob;
  Object.defineProperty(window.navigator, 'sendBeacon', {
    value(target, blob) {
      const sent = blob.text().then((body) => fetch(target, { method: 'POST', headers: { 'content-type': blob.type }, body, keepalive: true }));
      pending.push(sent.then(async (res) => ({ transport: 'beacon', url: target, contentType: blob.type, status: res.status, response: await res.text() })));
      return true;
    },
  });
  window.eval(readFileSync(require.resolve('scorm-again'), 'utf8'));
  return window;
}

function createWindow(pending, live) {
  if (live) return liveWindow(pending, live.url);
  const dom = new JSDOM('<!doctype html><html><body></body></html>', {
    url: 'https://lms.example/player',
    runScripts: 'outside-only',
  });
  const window = dom.window;
  // Ordinary commits are synchronous XHRs (useAsynchronousCommits defaults to false).
  window.XMLHttpRequest = class {
    open(_method, url) {
      this.url = url;
      this.headers = {};
    }
    setRequestHeader(name, value) {
      this.headers[name.toLowerCase()] = value;
    }
    send(body) {
      pending.push(Promise.resolve({ transport: 'xhr', url: this.url, contentType: this.headers['content-type'] || '', body }));
      Object.assign(this, { status: 200, readyState: 4, responseText: '{"result":true,"errorCode":0}' });
    }
    getResponseHeader() {
      return 'application/json';
    }
  };
  // The terminate commit is a sendBeacon with a Blob; Node's Blob can be read back as text.
  window.Blob = Blob;
  Object.defineProperty(window.navigator, 'sendBeacon', {
    value(url, blob) {
      pending.push(blob.text().then((body) => ({ transport: 'beacon', url, contentType: blob.type, body })));
      return true;
    },
  });
  window.eval(readFileSync(require.resolve('scorm-again'), 'utf8'));
  return window;
}

async function main() {
  const scenario = JSON.parse(readFileSync(0, 'utf8'));
  const pending = [];
  const window = createWindow(pending, scenario.live);
  const api = new window[scenario.api](scenario.settings);
  // Built in the window's realm: scorm-again tells nested objects apart by `constructor === Object`,
  // which an object from Node's realm fails, silently replacing e.g. cmi.core wholesale.
  api.loadFromJSON(window.JSON.parse(JSON.stringify(scenario.initial)));
  const errorMethod = scenario.api === 'Scorm12API' ? 'LMSGetLastError' : 'GetLastError';
  const returns = scenario.calls.map(([method, ...args]) => {
    const result = api[method](...args);
    return [method, ...args.slice(0, 1), String(result), String(api[errorMethod]())];
  });
  const requests = await Promise.all(pending);
  process.stdout.write(JSON.stringify({ returns, requests }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
