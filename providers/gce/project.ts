/**
 * The Compute project when neither the `project` option nor a project variable names one: found
 * the way Google's own libraries find it, by google-auth-library's `GoogleAuth.getProjectId()` —
 * `GCLOUD_PROJECT`/`GOOGLE_CLOUD_PROJECT`, the `project_id` of the credentials file
 * (`keyFilename`, `GOOGLE_APPLICATION_CREDENTIALS`), then gcloud's configured project
 * (`gcloud config config-helper`).
 *
 * The library's last resort is the metadata server, and it asks it even where
 * `METADATA_SERVER_DETECTION=none` says not to (only its credential look-up honours that
 * variable). polycloud asks the metadata server for the project only when the credentials came
 * from it, i.e. the library itself detected Google Cloud: elsewhere a developer machine or CI runner
 * never sends a request to 169.254.169.254.
 *
 * @module
 */
import { ConfigurationError } from '../../src/kit.js';

/** The parts of google-auth-library's `GoogleAuth` (or a caller's auth client) the discovery uses. */
interface ProjectSource {
  getProjectId?(): Promise<string | null | undefined>;
  getClient?(): Promise<unknown>;
  readonly projectId?: string | null;
  /** Set by `GoogleAuth` once it has checked for the metadata server (honouring `METADATA_SERVER_DETECTION`). */
  readonly isGCE?: boolean;
  getGCEProjectId?(): Promise<string | null>;
}

/** The fix, in the words a user needs. */
const HOW_TO_SET =
  'pass { project }, set GOOGLE_CLOUD_PROJECT, run `gcloud config set project <id>`, or use a service account key with a project_id';

/** google-auth-library's message when every source came up empty. */
const NO_PROJECT = /unable to detect a project id/i;

/**
 * The project of `auth`, whose credentials have already been loaded. `owned` says whether
 * polycloud made the `GoogleAuth` (then its metadata step is held to the rule above); a caller's
 * own auth client is asked as the caller configured it, or read for its `projectId`.
 *
 * @throws ConfigurationError when no source names a project.
 */
export async function discoverProject(auth: unknown, owned: boolean): Promise<string> {
  const source = (typeof auth === 'object' && auth !== null ? auth : {}) as ProjectSource;
  let project: string | null | undefined;
  try {
    if (owned && typeof source.getProjectId === 'function') {
      if (source.isGCE !== true && typeof source.getGCEProjectId === 'function') {
        Object.defineProperty(source, 'getGCEProjectId', { value: () => Promise.resolve(null), configurable: true });
      }
      project = await source.getProjectId();
    } else if (typeof source.getClient === 'function' && typeof source.getProjectId === 'function') {
      project = await source.getProjectId(); // a caller's GoogleAuth
    } else {
      project = source.projectId;
    }
  } catch (error) {
    if (!NO_PROJECT.test(String((error as Error | undefined)?.message))) throw error;
  }
  if (typeof project !== 'string' || project === '') {
    throw new ConfigurationError(`no Compute project found: ${HOW_TO_SET}`, { provider: 'gce', operation: 'configure' });
  }
  return project;
}
