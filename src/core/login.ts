/**
 * How to log in to a node over SSH: the user its image expects, and the address and port to
 * reach. Each driver knows its images' default users; the core supplies the address.
 *
 * @module
 */

/** Where and as whom to open an SSH session to a node. */
export interface SshLogin {
  /** The login user the node's image sets up, e.g. `ubuntu`, `admin`, `root`. */
  readonly user: string;
  /** The address to connect to, or `null` while the node has none. */
  readonly host: string | null;
  /** The SSH port: 22 on clouds, unless the driver says otherwise (the local provider's nodes each have their own). */
  readonly port: number;
}

/**
 * The default login user of the stock cloud images of an OS family, as their publishers set them
 * up (AWS conventions; most other clouds log in as `root`, and their drivers say so).
 */
const USERS_BY_OS: Readonly<Record<string, string>> = {
  ubuntu: 'ubuntu',
  debian: 'admin',
  centos: 'centos',
  rocky: 'rocky',
  almalinux: 'ec2-user',
  fedora: 'fedora',
  rhel: 'ec2-user',
  amazon: 'ec2-user',
  'amazon-linux': 'ec2-user',
  suse: 'ec2-user',
  opensuse: 'ec2-user',
  freebsd: 'ec2-user',
};

/** The image publisher's default login user for an OS family; `root` when unknown. */
export function defaultLoginUser(osFamily: string | undefined): string {
  return (osFamily && USERS_BY_OS[osFamily.toLowerCase()]) || 'root';
}

/** The address polycloud connects to: the first public address, else the first private one. */
export function addressOf(node: { readonly publicIps: readonly string[]; readonly privateIps: readonly string[] }): string | null {
  return node.publicIps[0] ?? node.privateIps[0] ?? null;
}
