/**
 * Rotating the master key while servers run (`pforte key …`, docs/key-rotation.md):
 * which keys there are and what is sealed under each, making a new key current and
 * re-sealing everything under it, and retiring a key nothing needs any more.
 *
 * What a master key protects, and how each survives a rotation:
 *   - token seeds and status keys: re-sealed (tokens/reseal.ts);
 *   - the audit chain's HMAC key: re-sealed (audit/chain.ts) — the key itself stays,
 *     so every event verifies however many rotations ago it was hashed;
 *   - temporary codes: their MAC names its key (temporary_access.key_id) and cannot be
 *     moved, so the old key stays until the last of them ends;
 *   - RADIUS challenge State: short-lived, opened with any key the server holds.
 */
import { chainKeyId, resealChainKey } from '../audit/chain.js';
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { PforteError } from '../errors.js';
import { countLiveCodesByKey } from '../temporary/temporary-access.js';
import { countSealedTokenSecrets, resealTokens } from '../tokens/reseal.js';
import { loadConfiguredKey, readCurrentKeyId, REFRESH_MS } from './key-ring.js';
import {
  decodeKeyList,
  keyFileName,
  loadKeyFiles,
  MASTER_KEY_FILE,
  promoteKeyFile,
  removeKeyFile,
} from './master-key.js';
import { keyIdOf, type Keyring } from './seal.js';

export interface KeyUse {
  id: string;
  current: boolean;
  /** Where this server has it from; empty when it does not have it. */
  source: string;
  /** Token seeds and status keys sealed under it. */
  tokenSecrets: number;
  /** 1 when the audit chain's key is sealed under it. */
  auditChain: number;
  /** Temporary codes still live whose MAC is keyed with it. */
  temporaryCodes: number;
}

/** Every key this server holds or something is sealed under, the current one first. */
export async function listKeys(core: Core): Promise<KeyUse[]> {
  const current = await readCurrentKeyId(core);
  const sources = keySources(core);
  const tokens = await countSealedTokenSecrets(core);
  const chain = await chainKeyId(core);
  const codes = await countLiveCodesByKey(core);
  const ids = new Set([current, ...sources.keys(), ...tokens.keys(), chain, ...codes.keys()]);
  ids.delete('');
  return [...ids]
    .map((id) => ({
      id,
      current: id === current,
      source: sources.get(id) ?? '',
      tokenSecrets: tokens.get(id) ?? 0,
      auditChain: id === chain ? 1 : 0,
      temporaryCodes: codes.get(id) ?? 0,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || a.id.localeCompare(b.id));
}

export interface RotationReport {
  from: string;
  to: string;
  /** A new key was made (and written to master.key). */
  created: boolean;
  resealed: number;
  /** Values under an old key that did not open: damaged, left as they were. */
  failed: number;
  /** Values still under another key afterwards (written by a server not yet switched). */
  remaining: number;
}

export interface RotationOptions {
  /** The key to make current, by id; by default the configured key, or a new one. */
  to?: string;
  batch?: number;
  /** How long to let running servers switch before sweeping again (REFRESH_MS and a bit). */
  settleMs?: number;
  onBatch?: (resealed: number) => void;
}

/**
 * Makes a key current and re-seals every sealed value under it. The key is the one
 * named by `to`; else the configured key, when the database is still sealed with
 * another (the procedure for PFORTE_MASTER_KEY); else a new key, written to master.key
 * (the old one kept as `master-<key id>.key`).
 */
export async function rotateMasterKey(
  core: Core,
  caller: Caller,
  options: RotationOptions = {},
): Promise<RotationReport> {
  const from = await readCurrentKeyId(core);
  const { key, created } = chooseNextKey(core, from, options.to);
  const to = keyIdOf(key);
  if (!core.config.masterKey) {
    const configured = loadConfiguredKey(core.config, core.random);
    if (keyIdOf(configured) !== to) promoteKeyFile(core.config.dataDir, key, configured);
  }
  const target: Keyring = { currentId: to, keys: new Map([...core.keyring.keys, [to, key]]) };
  if (to !== from) {
    const switched = await core.store.db
      .updateTable('sealing_key')
      .set({ key_id: to })
      .where('id', '=', 1)
      .where('key_id', '=', from)
      .executeTakeFirst();
    if (Number(switched.numUpdatedRows) !== 1) {
      throw new PforteError('ERR_CONFLICT', 'another rotation changed the current key meanwhile');
    }
  }
  core.keyring = { ...core.keyring, currentId: to, keys: target.keys };

  const report: RotationReport = { from, to, created, resealed: 0, failed: 0, remaining: 0 };
  const settle = options.settleMs ?? REFRESH_MS + 2_000;
  for (let pass = 0; pass < 3; pass += 1) {
    if (pass > 0) await new Promise((resolve) => setTimeout(resolve, settle));
    report.resealed += await resealChainKey(core, target);
    report.failed = 0;
    for (const old of await oldKeysInUse(core, to)) {
      const before = report.resealed;
      const progress = await resealTokens(core, target, old, {
        ...(options.batch ? { batch: options.batch } : {}),
        onBatch: (p) => options.onBatch?.(before + p.resealed),
      });
      report.resealed += progress.resealed;
      report.failed += progress.failed;
    }
    const left = await countUnderOtherKeys(core, to);
    report.remaining = left.total;
    // Another pass helps only with values a server sealed under the old key meanwhile.
    if (left.held === report.failed) break;
  }
  await recordAudit(core, caller, {
    action: 'key.rotate',
    outcome: report.remaining === 0 ? 'success' : 'failure',
    ...(report.remaining > 0 ? { reason: 'values_remain' } : {}),
    detail: { ...report },
  });
  return report;
}

/**
 * Removes a key this server holds once nothing needs it: nothing sealed under it, no
 * live temporary code keyed with it, and not current. Removes its key file; a key from
 * the environment the operator removes (the answer says so).
 */
export async function retireKey(
  core: Core,
  caller: Caller,
  id: string,
): Promise<{ removedFile: boolean; inEnvironment: boolean }> {
  const use = (await listKeys(core)).find((key) => key.id === id);
  if (!use) throw new PforteError('ERR_NOT_FOUND', `master key ${id} not found`);
  if (use.current) {
    throw new PforteError('ERR_CONFLICT', `master key ${id} is current: rotate to another first`);
  }
  const count = use.tokenSecrets + use.auditChain + use.temporaryCodes;
  if (count > 0) {
    throw new PforteError(
      'ERR_CONFLICT',
      `master key ${id} still seals ${count} value${count === 1 ? '' : 's'} (${use.tokenSecrets} token secrets, ${use.auditChain} audit chain key, ${use.temporaryCodes} live temporary codes): run pforte key rotate, or wait until the temporary codes end`,
    );
  }
  if (use.source === MASTER_KEY_FILE || use.source === 'PFORTE_MASTER_KEY') {
    throw new PforteError(
      'ERR_CONFLICT',
      `master key ${id} is the configured key (${use.source}): configure the current key there first`,
    );
  }
  const removedFile = removeKeyFile(core.config.dataDir, id);
  const inEnvironment = decodeKeyList(core.config.masterKeysPrevious).some(
    (key) => keyIdOf(key) === id,
  );
  await recordAudit(core, caller, {
    action: 'key.retire',
    outcome: 'success',
    detail: { keyId: id, removedFile, inEnvironment },
  });
  return { removedFile, inEnvironment };
}

/** Where each key this server holds comes from. */
function keySources(core: Core): Map<string, string> {
  const { config } = core;
  const sources = new Map<string, string>();
  for (const key of loadKeyFiles(config.dataDir))
    sources.set(keyIdOf(key), keyFileName(keyIdOf(key)));
  for (const key of decodeKeyList(config.masterKeysPrevious)) {
    sources.set(keyIdOf(key), 'PFORTE_MASTER_KEYS_PREVIOUS');
  }
  const configured = keyIdOf(loadConfiguredKey(config, core.random));
  sources.set(configured, config.masterKey ? 'PFORTE_MASTER_KEY' : MASTER_KEY_FILE);
  return sources;
}

function chooseNextKey(core: Core, from: string, to?: string): { key: Buffer; created: boolean } {
  if (to) {
    const key = core.keyring.keys.get(to) ?? core.keyring.find?.(to);
    if (!key) {
      throw new PforteError(
        'ERR_NOT_FOUND',
        `master key ${to} not found: put it in ${keyFileName(to)} or PFORTE_MASTER_KEYS_PREVIOUS`,
      );
    }
    return { key, created: false };
  }
  const configured = loadConfiguredKey(core.config, core.random);
  if (keyIdOf(configured) !== from) return { key: configured, created: false };
  if (core.config.masterKey) {
    throw new PforteError(
      'ERR_CONFLICT',
      'PFORTE_MASTER_KEY is already the current key: set it to a new key, and the current one in PFORTE_MASTER_KEYS_PREVIOUS, on every server first (docs/key-rotation.md)',
    );
  }
  return { key: core.random.bytes(32), created: true };
}

/** Keys other than `current` that this server holds and something is sealed under. */
async function oldKeysInUse(core: Core, current: string): Promise<string[]> {
  const counts = await countSealedTokenSecrets(core);
  return [...counts.keys()].filter((id) => id !== current && core.keyring.keys.has(id));
}

/** Values under keys other than `current`: all of them, and those under keys this server holds. */
async function countUnderOtherKeys(
  core: Core,
  current: string,
): Promise<{ total: number; held: number }> {
  const chain = await chainKeyId(core);
  const counts = await countSealedTokenSecrets(core);
  if (chain !== current) counts.set(chain, (counts.get(chain) ?? 0) + 1);
  let total = 0;
  let held = 0;
  for (const [id, n] of counts) {
    if (id === current) continue;
    total += n;
    if (core.keyring.keys.has(id)) held += n;
  }
  return { total, held };
}
