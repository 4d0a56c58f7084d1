import type { JsonWebKey } from 'node:crypto';
import type { Db } from '../db';
import type { SigningAlg } from './config';
import { createSigner, ID_TOKEN_TYP, importPrivateJwk, importPublicJwk, type Signer, type VerificationKey } from './jwt';
import { decryptPrivateKey, KeyDecryptionError } from './key-encryption';
import { ensureSigningKey, listPublishedKeys } from './signing-keys';

type LoadedKey = {
  kid: string;
  alg: SigningAlg;
  publicJwk: Record<string, unknown>;
  verification: VerificationKey;
  activatesAt: number;
  retiredAt: number | null;
  signer?: Signer;
  /** The same key with typ JWT, for ID tokens. */
  idTokenSigner?: Signer;
  decryptError?: string;
};

/**
 * The signing keys in memory: the private key imported once, the JWKS body built once. The database stays the
 * source of truth: `reload()` runs at start, on a change notification (keys:rotate on any instance) and every
 * `ttlMs`. Which key signs is decided by the clock, so every instance switches to a rotated key at its activation.
 * `mode` 'verify': public keys only (the REST API's bearer check, lib/api/bearer.ts), no private key is decrypted.
 */
export class KeyStore {
  private keys: LoadedKey[] = [];
  private current: Signer | null = null;
  private jwks = '{"keys":[]}';
  /** The next moment the signing key or the published set changes by the clock alone. */
  private nextChangeAt = Infinity;
  private loadedAt = 0;
  private reloading: Promise<void> | null = null;
  private lastMissReload = 0;

  constructor(
    private readonly db: Db,
    private readonly alg: SigningAlg,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly mode: 'sign' | 'verify' = 'sign',
  ) {}

  /** First start: create a key when none can sign, then load. Fails loudly when the current key cannot be decrypted. */
  async init() {
    await ensureSigningKey(this.db, this.alg);
    await this.reload();
    if (!this.current) {
      const failed = this.keys.find((k) => k.alg === this.alg && k.decryptError);
      throw new Error(failed?.decryptError ?? `No ${this.alg} signing key can be used.`);
    }
  }

  reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => {
      this.reloading = null;
    });
    return this.reloading;
  }

  private async load() {
    const rows = await listPublishedKeys(this.db, new Date(this.now()));
    const previous = new Map(this.keys.map((k) => [k.kid, k]));
    this.keys = rows.map((row) => {
      const known = previous.get(row.kid);
      const base = {
        kid: row.kid,
        alg: row.alg as SigningAlg,
        publicJwk: row.publicJwk,
        activatesAt: row.activatesAt.getTime(),
        retiredAt: row.retiredAt ? row.retiredAt.getTime() : null,
      };
      if (known) return { ...known, ...base };
      const loaded: LoadedKey = {
        ...base,
        verification: { alg: base.alg, publicKey: importPublicJwk(row.publicJwk as JsonWebKey) },
      };
      if (base.alg === this.alg && this.mode === 'sign') {
        try {
          const jwk = JSON.parse(decryptPrivateKey(row.privateKeyEncrypted, row.kid)) as JsonWebKey;
          const privateKey = importPrivateJwk(jwk);
          loaded.signer = createSigner(row.kid, base.alg, privateKey);
          loaded.idTokenSigner = createSigner(row.kid, base.alg, privateKey, ID_TOKEN_TYP);
        } catch (err) {
          if (!(err instanceof KeyDecryptionError)) throw err;
          loaded.decryptError = err.message;
          console.error(`[tokens] ${err.message}`);
        }
      }
      return loaded;
    });
    this.loadedAt = this.now();
    this.recompute();
  }

  private recompute() {
    const now = this.now();
    const published = this.keys.filter((k) => k.retiredAt === null || k.retiredAt > now);
    this.jwks = JSON.stringify({ keys: published.map((k) => k.publicJwk) });
    // Newest activated key of our algorithm that we can decrypt.
    const signing = published
      .filter((k) => k.signer && k.activatesAt <= now)
      .sort((a, b) => b.activatesAt - a.activatesAt)[0];
    if (signing) this.current = signing.signer!;
    const upcoming = this.keys
      .flatMap((k) => [k.activatesAt, k.retiredAt ?? Infinity])
      .filter((t) => t > now);
    this.nextChangeAt = Math.min(Infinity, ...upcoming);
  }

  private refreshIfDue() {
    const now = this.now();
    if (now >= this.nextChangeAt) this.recompute();
    if (now - this.loadedAt >= this.ttlMs && !this.reloading) {
      this.reload().catch((err) => console.error('[tokens] reloading signing keys failed:', (err as Error).message));
    }
  }

  /** The key that signs now. */
  signer(): Signer {
    this.refreshIfDue();
    if (!this.current) throw new Error('No signing key is loaded.');
    return this.current;
  }

  /** The key that signs now, with the ID token header (typ JWT). */
  idTokenSigner(): Signer {
    const kid = this.signer().kid;
    const key = this.keys.find((k) => k.kid === kid);
    if (!key?.idTokenSigner) throw new Error('No signing key is loaded.');
    return key.idTokenSigner;
  }

  /** The JWKS document (RFC 7517): every published key, current, upcoming and previous. */
  jwksJson(): string {
    this.refreshIfDue();
    return this.jwks;
  }

  /**
   * A published key by kid for a verifier that has no LISTEN of its own to rely on between requests (the REST API):
   * the keys are read again first when `ttlMs` has passed (a withdrawn key is trusted no longer than that), or when
   * the kid is unknown (a key published since), at most once per `missReloadMs`.
   */
  async currentVerificationKey(kid: string, missReloadMs = 1000): Promise<VerificationKey | undefined> {
    const now = this.now();
    if (now - this.loadedAt >= this.ttlMs) {
      await this.reload();
    } else if (!this.keys.some((k) => k.kid === kid) && now - this.lastMissReload >= missReloadMs) {
      this.lastMissReload = now;
      await this.reload();
    }
    return this.verificationKey(kid);
  }

  /** Treat what is loaded as stale (a rotation was announced, or may have been missed): the next lookup reads again. */
  expire() {
    this.loadedAt = 0;
  }

  /** A published key by kid, for verifying our own tokens (introspection). */
  verificationKey(kid: string): VerificationKey | undefined {
    this.refreshIfDue();
    const now = this.now();
    const key = this.keys.find((k) => k.kid === kid);
    return key && (key.retiredAt === null || key.retiredAt > now) ? key.verification : undefined;
  }
}
