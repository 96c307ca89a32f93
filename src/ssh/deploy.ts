/**
 * `deployNode`: from a raw base image to a ready server. Create (idempotently) → wait until
 * running → wait until SSH accepts the key → optionally wait for cloud-init → run each step,
 * reporting progress and per-step results. A failure says where it happened and keeps the node
 * for inspection unless `destroyOnFailure` is set.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Driver } from '../core/driver.js';
import { isCloudError } from '../core/errors.js';
import type { SshLogin } from '../core/login.js';
import type { CreateNodeRequest, Node } from '../core/types.js';
import { checkDuration, checkObject, invalid, type CheckContext } from '../core/validate.js';
import { DeployError, isScriptError, type DeployPhase } from './errors.js';
import type { HostKey } from './host-keys.js';
import { loadSsh2 } from './load.js';
import { checkConnectOptions, type SshConnectOptions, type SshTarget } from './options.js';
import { buildCommand, runOnTarget, type ScriptResult } from './run.js';
import { waitForSsh } from './wait.js';

/** One script of a deployment. */
export interface DeployStep {
  /** Shown in progress and errors, e.g. `install nginx`. */
  readonly name: string;
  /** Run with `/bin/sh` as the login user (use `sudo` inside for root on images that log in as a user). */
  readonly script: string;
  /**
   * Environment variables exported before the script runs (names: letters, digits, `_`).
   *
   * @defaultValue none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Longest run of this step, in ms.
   *
   * @defaultValue the deployment's `stepTimeoutMs`
   */
  readonly timeoutMs?: number;
}

/** What happened, as it happens. */
export interface DeployProgress {
  /** The phase just entered or finished: `create`, `running`, `ssh`, `cloud-init`, `step`, then `done` once. */
  readonly phase: DeployPhase | 'done';
  /** The step's name for `step` and `cloud-init`. */
  readonly step?: string;
  /** The node's id, from the `running` phase on; absent while it is being created. */
  readonly nodeId?: string;
  /** One line for people. */
  readonly message: string;
}

/** Options of {@link deployNode}. Give `steps` or `script`, not both. */
export interface DeployOptions extends Omit<SshConnectOptions, 'driver'> {
  /** The steps, run in order; the first that fails stops the deployment. */
  readonly steps?: readonly DeployStep[];
  /** One script, run as a step named `script`. */
  readonly script?: string;
  /**
   * Run `cloud-init status --wait` before the steps (skipped where cloud-init is absent).
   *
   * @defaultValue false
   */
  readonly waitForCloudInit?: boolean;
  /**
   * Destroy the node when a later phase fails.
   *
   * @defaultValue false (the node is kept for inspection)
   */
  readonly destroyOnFailure?: boolean;
  /**
   * Longest wait for the node to be `running`, in ms.
   *
   * @defaultValue 600000 (10 minutes)
   */
  readonly runningTimeoutMs?: number;
  /**
   * Longest wait for SSH to accept the key, in ms.
   *
   * @defaultValue 300000 (5 minutes)
   */
  readonly sshTimeoutMs?: number;
  /**
   * Longest run of a step without its own `timeoutMs` (and of the cloud-init wait), in ms.
   *
   * @defaultValue 1800000 (30 minutes)
   */
  readonly stepTimeoutMs?: number;
  /**
   * Bytes of each step's stdout and stderr kept.
   *
   * @defaultValue 1048576 (1 MiB)
   */
  readonly maxOutputBytes?: number;
  /** Called at each phase and step. */
  readonly onProgress?: (progress: DeployProgress) => void;
}

/** One finished step. */
export interface StepResult extends ScriptResult {
  /** The step's name as given in `steps` (`script` for `options.script`, `cloud-init` for the cloud-init wait). */
  readonly name: string;
}

/** A deployed node. */
export interface DeployResult<Raw = unknown> {
  /** The node as last read, `running` and reachable over SSH. */
  readonly node: Node<Raw>;
  /** One result per step, in order (the cloud-init wait first, named `cloud-init`, when asked for). */
  readonly results: readonly StepResult[];
  /** Where and as whom the steps ran: use it for later sessions. */
  readonly login: SshLogin & {
    /** The address the steps connected to (never `null` here). */
    readonly host: string;
  };
  /** The host key recorded for the node: pass it as `expectedHostKey` on later connections from elsewhere. */
  readonly hostKey: HostKey;
  /** The idempotency key the node was created with: deploy again with it to reach the same node. */
  readonly idempotencyKey: string;
}

/** The cloud-init wait: exit 0 (done) and 2 (done with recoverable errors) both let the steps run. */
const CLOUD_INIT_SCRIPT = [
  'if ! command -v cloud-init >/dev/null 2>&1; then echo "cloud-init is not installed; nothing to wait for"; exit 0; fi',
  'cloud-init status --wait; status=$?',
  'if [ "$status" -eq 2 ]; then echo "cloud-init finished with recoverable errors"; exit 0; fi',
  'exit "$status"',
].join('\n');

/**
 * Creates a node and bootstraps it over SSH. Deploying again with the same
 * `request.idempotencyKey` reaches the same node and runs the steps on it again (so write steps
 * that can repeat).
 *
 * @example
 * ```ts
 * const { node, results } = await deployNode(driver, { name: 'web-1', size, image, location, idempotencyKey: 'web-1' }, {
 *   privateKey: new Secret(readFileSync(keyPath, 'utf8')),
 *   steps: [{ name: 'install', script: 'sudo apt-get install -y nginx' }],
 *   onProgress: ({ message }) => console.log(message),
 * });
 * ```
 */
export async function deployNode<Raw, ProviderOptions>(
  driver: Driver<Raw, ProviderOptions>,
  request: CreateNodeRequest<ProviderOptions>,
  options: DeployOptions,
): Promise<DeployResult<Raw>> {
  const check: CheckContext = { provider: 'polycloud', operation: 'deployNode' };
  if (typeof driver !== 'object' || driver === null || typeof driver.createNode !== 'function')
    invalid(check, 'driver', 'a polycloud driver', driver);
  checkObject(check, 'request', request, false);
  const connect = checkConnectOptions(check, options);
  const steps = checkSteps(check, options);
  for (const field of ['runningTimeoutMs', 'sshTimeoutMs', 'stepTimeoutMs'] as const)
    checkDuration(check, `options.${field}`, options[field]);
  const where = { provider: driver.provider, operation: 'deployNode' };
  const progress = (event: DeployProgress) => options.onProgress?.(event);
  const idempotencyKey = request.idempotencyKey ?? randomUUID();
  const signal = options.signal;
  const sshKeys = request.sshKeys?.length
    ? request.sshKeys
    : driver.capabilities.sshKeys
      ? [await publicKeyOf(connect.privateKey.reveal(), connect.passphrase)]
      : [];

  let node: Node<Raw> | undefined;
  let phase: DeployPhase = 'create';
  let step: string | undefined;
  try {
    progress({ phase, message: `creating ${request.name}` });
    node = await driver.createNode({ ...request, idempotencyKey, ...(sshKeys.length ? { sshKeys } : {}) }, signal ? { signal } : {});
    phase = 'running';
    progress({ phase, nodeId: node.id, message: `waiting for ${node.id} to be running` });
    node = await driver.waitForNode(node, 'running', {
      ...(signal ? { signal } : {}),
      ...(options.runningTimeoutMs !== undefined ? { timeoutMs: options.runningTimeoutMs } : {}),
    });
    phase = 'ssh';
    progress({ phase, nodeId: node.id, message: `waiting for SSH on ${node.id}` });
    const ready = await waitForSsh(node, {
      ...connect,
      driver: driver as unknown as Driver,
      ...(options.sshTimeoutMs !== undefined ? { timeoutMs: options.sshTimeoutMs } : {}),
    });
    node = ready.node as Node<Raw>;
    // Later sessions must meet the key this deployment first trusted.
    const target: SshTarget = {
      login: ready.login,
      privateKey: connect.privateKey,
      ...(connect.passphrase ? { passphrase: connect.passphrase } : {}),
      hostKeys: connect.hostKeys ?? { get: () => ready.hostKey.fingerprint, set: () => undefined, delete: () => undefined },
      nodeKey: `${node.provider}:${node.id}`,
      expectedHostKey: ready.hostKey.fingerprint,
      connectTimeoutMs: connect.connectTimeoutMs ?? 20_000,
    };
    progress({
      phase,
      nodeId: node.id,
      message: `SSH ready as ${ready.login.user}@${ready.login.host}:${ready.login.port} (host key ${ready.hostKey.fingerprint})`,
    });

    const results: StepResult[] = [];
    const all = options.waitForCloudInit ? [{ name: 'cloud-init', script: CLOUD_INIT_SCRIPT }, ...steps] : steps;
    for (const each of all) {
      phase = each.name === 'cloud-init' && options.waitForCloudInit && results.length === 0 ? 'cloud-init' : 'step';
      step = each.name;
      progress({ phase, step, nodeId: node.id, message: `running ${each.name}` });
      const result = await runOnTarget(node, buildCommand(check, each.script, each.env, `steps.${each.name}.script`), target, {
        ...connect,
        step: each.name,
        ...(each.env ? { env: each.env } : {}),
        timeoutMs: each.timeoutMs ?? options.stepTimeoutMs ?? 1_800_000,
        ...(options.maxOutputBytes !== undefined ? { maxOutputBytes: options.maxOutputBytes } : {}),
      });
      results.push({ name: each.name, ...result });
      progress({ phase, step, nodeId: node.id, message: `${each.name}: exit ${result.exitCode} in ${result.durationMs} ms` });
    }
    progress({ phase: 'done', nodeId: node.id, message: `${node.id} is ready` });
    return { node, results, login: ready.login, hostKey: ready.hostKey, idempotencyKey };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    let destroyed = false;
    if (node && options.destroyOnFailure) {
      try {
        await driver.destroyNode(node);
        destroyed = true;
      } catch {
        // The DeployError below says the node was not destroyed; its id lets the caller retry.
      }
    }
    const what = phase === 'step' || phase === 'cloud-init' ? `step ${JSON.stringify(step)}` : `phase ${phase}`;
    const detail = isScriptError(error) || isCloudError(error) ? error.detail : error instanceof Error ? error.message : String(error);
    throw new DeployError(
      `${what} failed${node ? ` on node ${node.id}` : ''}${destroyed ? ' (node destroyed)' : node ? ' (node kept)' : ''}: ${detail}`,
      {
        ...where,
        phase,
        ...(step !== undefined && (phase === 'step' || phase === 'cloud-init') ? { step } : {}),
        ...(node ? { nodeId: node.id } : {}),
        destroyed,
        cause: error,
      },
    );
  }
}

function checkSteps(check: CheckContext, options: DeployOptions): readonly DeployStep[] {
  if (options.steps !== undefined && options.script !== undefined)
    invalid(check, 'options.script', 'absent when options.steps is given', 'both');
  if (options.script !== undefined) {
    buildCommand(check, options.script, undefined, 'options.script');
    return [{ name: 'script', script: options.script }];
  }
  if (!Array.isArray(options.steps) || options.steps.length === 0)
    invalid(check, 'options.steps', 'a non-empty array of steps (or options.script)', options.steps);
  const names = new Set<string>();
  options.steps.forEach((step: DeployStep, index) => {
    if (typeof step !== 'object' || step === null) invalid(check, `options.steps[${index}]`, 'an object { name, script }', step);
    if (typeof step.name !== 'string' || !/^[^\r\n]{1,80}$/.test(step.name))
      invalid(check, `options.steps[${index}].name`, 'a name of 1-80 characters on one line', step.name);
    if (names.has(step.name)) invalid(check, `options.steps[${index}].name`, 'a name no other step has', step.name);
    names.add(step.name);
    buildCommand(check, step.script, step.env, `options.steps[${index}].script`);
    checkDuration(check, `options.steps[${index}].timeoutMs`, step.timeoutMs);
  });
  return options.steps;
}

/** The OpenSSH public key line of a private key, authorised on the node when the request names no key. */
async function publicKeyOf(privateKey: string, passphrase: { reveal(): string } | undefined): Promise<string> {
  const { utils } = await loadSsh2('deployNode');
  const parsed = utils.parseKey(privateKey, passphrase?.reveal());
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) {
    invalid(
      { provider: 'polycloud', operation: 'deployNode' },
      'options.privateKey',
      'a private key ssh2 can read (supported format, right passphrase)',
      'an unreadable key (not shown)',
    );
  }
  return `${key.type} ${key.getPublicSSH().toString('base64')} polycloud`;
}
