/**
 * Verifies Open Badges with @digitalcredentials/verifier-core, a verifier built on its own forks
 * of the Verifiable Credentials libraries, not the code that signed. It resolves the issuer
 * profile, the key and the status list over HTTP from `origin`; every other fetch (it looks for the
 * Open Badges JSON schema online) is answered 404 here, so the check runs offline.
 *
 * It runs as its own Node process because verifier-core is an ES module, which jest's CommonJS
 * module loader cannot require (plain Node 20.19+ can). One process serves a whole test file.
 *
 * argv: the origin, e.g. http://127.0.0.1:1234
 * stdin: one line per request, a JSON array of credentials
 * stdout: one line per request, a JSON array of
 *   { "checks": { "valid_signature": bool, "revocation_status": bool, "expiration": bool, ... },
 *     "errors": [name], "fetched": [url], "refused": [url] }
 */
'use strict';

const { createInterface } = require('node:readline');
const { URL } = require('node:url');
const { verifyCredential } = require('@digitalcredentials/verifier-core');

const origin = process.argv[2];
// verifier-core reports a schema it could not fetch on the console; stdout carries only the results.
globalThis.console.log = globalThis.console.error;
const networkFetch = globalThis.fetch;
let fetched = [];
let refused = [];
globalThis.fetch = async (resource, init) => {
  const url = typeof resource === 'string' ? resource : resource instanceof URL ? resource.href : resource.url;
  if (new URL(url).origin !== origin) {
    refused.push(url);
    return new globalThis.Response('offline', { status: 404 });
  }
  fetched.push(url);
  return networkFetch(resource, init);
};

async function verify(credential) {
  fetched = [];
  refused = [];
  const result = await verifyCredential({ credential, knownDIDRegistries: [] });
  const checks = Object.fromEntries((result.log || []).map((entry) => [entry.id, entry.valid]));
  return { checks, errors: (result.errors || []).map((e) => e.name), fetched, refused };
}

async function answer(line) {
  const results = [];
  for (const credential of JSON.parse(line)) results.push(await verify(credential));
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  queue = queue.then(() => answer(line)).catch((error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error));
    process.exit(1);
  });
});
