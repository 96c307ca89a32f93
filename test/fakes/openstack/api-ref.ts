/**
 * Request-body validation against the official OpenStack API reference copied into `api-ref/`:
 * a Nova request body may hold only the parameters its api-ref section lists (the `Request`
 * block of `servers.inc`, `servers-actions.inc`, `os-keypairs.inc`), must hold the ones
 * `parameters.yaml` marks required (for the microversion sent), and a Keystone token request must
 * have the shape of the official request samples.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'api-ref');

interface ParameterDoc {
  readonly in?: string;
  readonly required?: boolean;
  readonly type?: string;
  readonly min_version?: string | number;
}

const parameters = parse(readFileSync(join(DIR, 'nova-parameters.yaml'), 'utf8')) as Record<string, ParameterDoc>;

/** The request parameters of an api-ref section: body key → parameters.yaml entry. */
function requestParameters(file: string, heading: string): Map<string, ParameterDoc> {
  const lines = readFileSync(join(DIR, file), 'utf8').split('\n');
  const start = lines.findIndex((line, index) => line.trim() === heading && /^[=-]{3,}/.test(lines[index + 1] ?? ''));
  if (start < 0) throw new Error(`no section ${heading} in ${file}`);
  const result = new Map<string, ParameterDoc>();
  for (let index = start + 2; index < lines.length; index++) {
    const line = lines[index] as string;
    if (/^Response\s*$/.test(line.trim()) || (/^[=]{3,}/.test(lines[index + 1] ?? '') && index > start + 2)) break;
    const match = /^\s+- ([^:]+): (\S+)\s*$/.exec(line);
    if (match) result.set(match[1] as string, parameters[match[2] as string] ?? {});
  }
  return result;
}

/** Sections the fake checks, by name. */
export const NOVA_SECTIONS = {
  createServer: requestParameters('servers.inc', 'Create Server'),
  reboot: requestParameters('servers-actions.inc', 'Reboot Server (reboot Action)'),
  start: requestParameters('servers-actions.inc', 'Start Server (os-start Action)'),
  stop: requestParameters('servers-actions.inc', 'Stop Server (os-stop Action)'),
  importKeypair: requestParameters('os-keypairs.inc', 'Import (or create) Keypair'),
} as const;

function versionAtLeast(sent: string, needed: string | number | undefined): boolean {
  if (needed === undefined) return true;
  const [a = 0, b = 0] = sent.split('.').map(Number);
  const [c = 0, d = 0] = String(needed).split('.').map(Number);
  return a > c || (a === c && b >= d);
}

/** What the api-ref says is wrong with a body; `[]` when it is valid. */
export function checkNovaBody(section: keyof typeof NOVA_SECTIONS, body: unknown, microversion: string): string[] {
  const documented = NOVA_SECTIONS[section];
  const problems: string[] = [];
  const known = (path: string) => documented.has(path) || documented.has(path.split('.').slice(1).join('.'));
  const walk = (value: unknown, path: string) => {
    if (typeof value !== 'object' || value === null) return;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (typeof item !== 'object' || item === null) continue;
      for (const [key, child] of Object.entries(item)) {
        const childPath = path ? `${path}.${key}` : key;
        if (!known(childPath)) {
          problems.push(`${section}: "${childPath}" is not a documented request parameter`);
          continue;
        }
        const doc = documented.get(childPath) ?? documented.get(childPath.split('.').slice(1).join('.'));
        const hasChildren = [...documented.keys()].some(
          (name) => name.startsWith(`${childPath.split('.').slice(-1)[0]}.`) || name.startsWith(`${childPath}.`),
        );
        // A free-form object (metadata) has no documented children: do not descend into it.
        if (doc?.type === 'object' && !hasChildren && path !== '') continue;
        walk(child, childPath);
      }
    }
  };
  walk(body, '');
  const root = Object.keys((body as object) ?? {})[0];
  const inner = root ? (body as Record<string, unknown>)[root] : undefined;
  for (const [name, doc] of documented) {
    if (doc.in !== 'body' || !doc.required || name.includes('.') || name === root) continue;
    if (!versionAtLeast(microversion, doc.min_version)) continue;
    if (typeof inner === 'object' && inner !== null && !(name in inner))
      problems.push(`${section}: required parameter "${name}" is missing`);
  }
  return problems;
}

const keystoneSamples = [
  'project-name-password.json',
  'auth-password-unscoped-request-with-domain.json',
  'auth-application-credential-id-request.json',
].map((file) => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as unknown);

/** Key paths of a JSON value; a domain may be named by `id` or `name` alike (both are documented). */
function keyPaths(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return path ? [path] : [];
  return Object.entries(value).flatMap(([key, each]) =>
    keyPaths(each, path ? `${path}.${key}` : key).map((p) => p.replace(/\.domain\.(id|name)$/, '.domain.<id|name>')),
  );
}

const documentedPaths = new Set(keystoneSamples.flatMap((sample) => keyPaths(sample)));

/** What Keystone's official request samples do not show about a token request body; `[]` when every key path is documented. */
export function checkKeystoneBody(body: unknown): string[] {
  const paths = keyPaths(body);
  if (paths.length === 0) return ['POST /v3/auth/tokens: empty body'];
  return paths
    .filter((path) => !documentedPaths.has(path))
    .map((path) => `POST /v3/auth/tokens: "${path}" appears in no official request sample`);
}
