/**
 * `polycloud/ssh`: from a raw base image to a ready server. Waits until a node accepts SSH, runs
 * scripts with exit codes and bounded output, and deploys a node end to end. Built on `ssh2`
 * (an optional peer dependency, loaded on first use).
 *
 * @module polycloud/ssh
 */
export { deployNode, type DeployOptions, type DeployProgress, type DeployResult, type DeployStep, type StepResult } from './deploy.js';
export {
  DeployError,
  ScriptError,
  SshConnectionError,
  SshTimeoutError,
  TAIL_CHARS,
  isDeployError,
  isScriptError,
  isSshConnectionError,
  isSshTimeoutError,
  type DeployPhase,
  type ScriptFailure,
  type SshObstacle,
} from './errors.js';
export { defaultHostKeys, fileHostKeys, memoryHostKeys, type HostKey, type HostKeyStore } from './host-keys.js';
export { DEFAULT_CONNECT_TIMEOUT_MS, type SshConnectOptions } from './options.js';
export { DEFAULT_RUN, MAX_SCRIPT_BYTES, runScript, shellQuote, type RunScriptOptions, type ScriptResult } from './run.js';
export { DEFAULT_WAIT_SSH, waitForSsh, type SshReady, type WaitForSshOptions } from './wait.js';
export { Secret } from '../core/secrets.js';
export type { SshLogin } from '../core/login.js';
