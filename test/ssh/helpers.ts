/** Shared bits of the SSH tests: a node object pointing at a loopback SSH server. */
import type { Node } from '../../src/core/types.js';

/** A running node whose only address is 127.0.0.1 (as a fake reports for the test sshd). */
export function loopbackNode(id: string, overrides: Partial<Node> = {}): Node {
  return {
    id,
    name: id,
    provider: 'local',
    state: 'running',
    rawState: 'running',
    location: { id: 'test-1', region: 'test-1', country: 'DE' },
    sizeId: null,
    imageId: null,
    publicIps: ['127.0.0.1'],
    privateIps: [],
    tags: {},
    createdAt: null,
    price: null,
    raw: {},
    ...overrides,
  };
}

/** The middle of a private key's base64 body: if this shows up anywhere, the key leaked. */
export function keyMaterial(privateKey: string): string {
  const body = privateKey
    .split('\n')
    .filter((line) => line && !line.startsWith('-----'))
    .join('');
  return body.slice(20, 60);
}
