/**
 * Base images loaded into moto (through `MOTO_AMIS_PATH`) for the AWS tests. Moto's own AMI set
 * has Canonical's Ubuntu only up to 16.04 and nothing from Debian's account, so the harness
 * registers these, under the real publishers' account ids and with the real AMI naming schemes.
 * The image ids are made up (real AMI ids differ per region); moto loads every image into every
 * region. They carry no creation date: moto 5 parses the dates of `MOTO_AMIS_PATH` images in
 * place and fails in the second region it loads them into, so every image gets the server's start
 * time, and the build serial in the name is what tells builds apart (as it does on EC2). The decoy and the older builds are there so the tests can show that `listImages` picks
 * only the publishers' current images.
 */
import { CANONICAL_OWNER, DEBIAN_OWNER } from '../../providers/aws/images.js';

/** One AMI in moto's `MOTO_AMIS_PATH` format. */
export interface MotoAmi {
  readonly ami_id: string;
  readonly name: string;
  readonly description: string;
  readonly owner_id: string;
  readonly architecture: 'x86_64' | 'arm64';
  readonly state: 'available';
  readonly public: true;
  readonly image_location: string;
  readonly root_device_type: 'ebs';
  readonly root_device_name: string;
  readonly image_type: 'machine';
  readonly platform: null;
  readonly virtualization_type: 'hvm';
  readonly hypervisor: 'xen';
  readonly sriov: 'simple';
}

function ami(id: string, owner: string, name: string, architecture: 'x86_64' | 'arm64', description: string): MotoAmi {
  return {
    ami_id: id,
    name,
    description,
    owner_id: owner,
    architecture,
    state: 'available',
    public: true,
    image_location: `${owner}/${name}`,
    root_device_type: 'ebs',
    root_device_name: name.startsWith('debian') ? '/dev/xvda' : '/dev/sda1',
    image_type: 'machine',
    platform: null,
    virtualization_type: 'hvm',
    hypervisor: 'xen',
    sriov: 'simple',
  };
}

/** The current Ubuntu 24.04 amd64 image: the conformance suite creates its nodes from it. */
export const UBUNTU_2404_AMD64 = 'ami-0a1b2c3d4e5f60001';
export const UBUNTU_2404_ARM64 = 'ami-0a1b2c3d4e5f60002';
/** An older 24.04 amd64 build, superseded by {@link UBUNTU_2404_AMD64}. */
export const UBUNTU_2404_AMD64_OLD = 'ami-0a1b2c3d4e5f60003';
export const UBUNTU_2204_AMD64 = 'ami-0a1b2c3d4e5f60004';
export const DEBIAN_12_AMD64 = 'ami-0a1b2c3d4e5f60005';
export const DEBIAN_12_ARM64 = 'ami-0a1b2c3d4e5f60006';
export const DEBIAN_12_BACKPORTS_AMD64 = 'ami-0a1b2c3d4e5f60007';
/** An image named like Canonical's, published by somebody else: must never be listed. */
export const DECOY_UBUNTU_2404 = 'ami-0a1b2c3d4e5f60008';

export const FIXTURE_AMIS: readonly MotoAmi[] = [
  ami(
    UBUNTU_2404_AMD64,
    CANONICAL_OWNER,
    'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250610',
    'x86_64',
    'Canonical, Ubuntu, 24.04, amd64 noble image',
  ),
  ami(
    UBUNTU_2404_ARM64,
    CANONICAL_OWNER,
    'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250610',
    'arm64',
    'Canonical, Ubuntu, 24.04, arm64 noble image',
  ),
  ami(
    UBUNTU_2404_AMD64_OLD,
    CANONICAL_OWNER,
    'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115',
    'x86_64',
    'Canonical, Ubuntu, 24.04, amd64 noble image',
  ),
  ami(
    UBUNTU_2204_AMD64,
    CANONICAL_OWNER,
    'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250516',
    'x86_64',
    'Canonical, Ubuntu, 22.04 LTS, amd64 jammy image',
  ),
  ami(DEBIAN_12_AMD64, DEBIAN_OWNER, 'debian-12-amd64-20250530-2128', 'x86_64', 'Debian 12 (20250530-2128)'),
  ami(DEBIAN_12_ARM64, DEBIAN_OWNER, 'debian-12-arm64-20250530-2128', 'arm64', 'Debian 12 (20250530-2128)'),
  ami(DEBIAN_12_BACKPORTS_AMD64, DEBIAN_OWNER, 'debian-12-backports-amd64-20250530-2128', 'x86_64', 'Debian 12 backports (20250530-2128)'),
  ami(DECOY_UBUNTU_2404, '111122223333', 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20990101', 'x86_64', 'not Canonical'),
];
