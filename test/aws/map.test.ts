/**
 * The AWS driver's pure parts: state map, image names, error classification and ClientTokens.
 */
import { describe, expect, it } from 'vitest';
import { clientTokenFor, keyPairNameFor } from '../../providers/aws/create.js';
import { fieldFromMessage, isNetworkError, mapAwsError } from '../../providers/aws/errors.js';
import { CANONICAL_OWNER, DEBIAN_OWNER, IMAGE_FAMILIES, imageSearch } from '../../providers/aws/images.js';
import { EC2_STATE_MAP, ec2StatesFor, mapInstanceState, mapInstanceToNode } from '../../providers/aws/map.js';
import { NODE_STATES } from '../../src/core/types.js';

describe('EC2 states', () => {
  it('maps every InstanceStateName EC2 documents, and nothing else', () => {
    expect(Object.keys(EC2_STATE_MAP).sort()).toEqual(['pending', 'running', 'shutting-down', 'stopped', 'stopping', 'terminated']);
    expect(mapInstanceState('shutting-down')).toBe('terminating');
    expect(mapInstanceState('hibernating')).toBe('unknown');
    for (const state of Object.values(EC2_STATE_MAP)) expect(NODE_STATES).toContain(state);
  });

  it('turns portable states into EC2 filter values', () => {
    expect(ec2StatesFor(['terminating', 'stopped'])).toEqual(['shutting-down', 'stopped']);
    expect(ec2StatesFor(['rebooting', 'unknown'])).toEqual([]);
  });

  it('maps an instance without a Name tag, IPs or type to a node with unknowns, not inventions', () => {
    const node = mapInstanceToNode({ InstanceId: 'i-0123456789abcdef0', State: { Name: 'pending' } }, 'xx-nowhere-1', null);
    expect(node).toMatchObject({
      id: 'i-0123456789abcdef0',
      name: 'i-0123456789abcdef0',
      sizeId: null,
      createdAt: null,
      price: null,
      publicIps: [],
      privateIps: [],
    });
    expect(node.location).toEqual({ id: 'xx-nowhere-1', region: 'xx-nowhere-1', country: null });
  });
});

describe('official image names', () => {
  it('reads Ubuntu and Debian AMI names, and refuses look-alikes', () => {
    const ubuntu = IMAGE_FAMILIES.ubuntu!;
    const debian = IMAGE_FAMILIES.debian!;
    expect(ubuntu.parseName('ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250610')).toEqual({
      version: '24.04',
      arch: 'arm64',
      build: '20250610',
    });
    expect(ubuntu.parseName('ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240207.1')).toEqual({
      version: '22.04',
      arch: 'x86_64',
      build: '20240207.1',
    });
    expect(ubuntu.parseName('ubuntu-pro-server/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-pro-server-20250610')).toBeUndefined();
    expect(ubuntu.parseName('ubuntu-minimal/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-minimal-20250610')).toBeUndefined();
    expect(debian.parseName('debian-12-amd64-20250530-2128')).toEqual({ version: '12', arch: 'x86_64', build: '20250530-2128' });
    expect(debian.parseName('debian-12-backports-amd64-20250530-2128')).toBeUndefined();
  });

  it('asks only the publishers, with name filters for the versions and architectures asked for', () => {
    expect(imageSearch({ os: 'Ubuntu', version: '24.04', arch: 'arm64' })).toMatchObject({
      owners: [CANONICAL_OWNER],
      names: ['ubuntu/images/hvm-ssd*/ubuntu-*-24.04-arm64-server-*'],
    });
    const everything = imageSearch({});
    expect(everything.owners).toEqual([CANONICAL_OWNER, DEBIAN_OWNER]);
    expect(everything.names).toHaveLength(12);
    expect(imageSearch({ os: 'windows' }).names).toEqual([]);
    expect(imageSearch({ os: 'ubuntu', version: '2*' }).names).toEqual([]);
  });
});

describe('error classification', () => {
  it('finds the field in real EC2 InvalidParameterValue messages', () => {
    expect(fieldFromMessage("Invalid value 'm9.huge' for InstanceType.")).toBe('size');
    expect(fieldFromMessage('Value (us-east-1z) for parameter availabilityZone is invalid. Subnet is in us-east-1a')).toBe('location');
    expect(fieldFromMessage('Invalid BASE64 encoding of user data.')).toBe('userData');
    expect(fieldFromMessage('Something else entirely')).toBeUndefined();
  });

  it('treats socket failures as unavailability and SDK errors by their code', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(isNetworkError(reset)).toBe(true);
    expect(mapAwsError(reset, { operation: 'listNodes', region: 'us-east-1' })).toMatchObject({
      name: 'ProviderUnavailableError',
      retryable: true,
      location: 'us-east-1',
    });
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'Throttling',
      $metadata: { httpStatusCode: 400, requestId: 'req-1' },
    });
    expect(mapAwsError(throttled, { operation: 'listNodes' })).toMatchObject({
      name: 'RateLimitError',
      requestId: 'req-1',
      retryable: true,
    });
    const gone = Object.assign(new Error('The instance ID does not exist'), {
      name: 'InvalidInstanceID.NotFound',
      $metadata: { httpStatusCode: 400 },
    });
    expect(mapAwsError(gone, { operation: 'getNode', nodeId: 'i-0123456789abcdef0' })).toMatchObject({
      name: 'NodeNotFoundError',
      nodeId: 'i-0123456789abcdef0',
    });
    const missingSubnet = Object.assign(new Error("The subnet ID 'subnet-1' does not exist"), {
      name: 'InvalidSubnetID.NotFound',
      $metadata: { httpStatusCode: 400 },
    });
    expect(mapAwsError(missingSubnet, { operation: 'createNode' })).toMatchObject({
      name: 'InvalidRequestError',
      field: 'providerOptions.subnetId',
    });
    const state = Object.assign(new Error('The instance is not in a state from which it can be started.'), {
      name: 'IncorrectInstanceState',
      $metadata: { httpStatusCode: 400 },
    });
    expect(mapAwsError(state, { operation: 'startNode' })).toMatchObject({ name: 'ConflictError', retryable: false });
  });
});

describe('derived names', () => {
  it('derives a stable ClientToken within EC2 limits, and a key pair name from the key, not its comment', () => {
    expect(clientTokenFor('deploy-42')).toBe(clientTokenFor('deploy-42'));
    expect(clientTokenFor('deploy-42')).not.toBe(clientTokenFor('deploy-43'));
    expect(clientTokenFor('x'.repeat(64)).length).toBeLessThanOrEqual(64);
    expect(keyPairNameFor('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice')).toBe(
      keyPairNameFor('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample bob'),
    );
  });
});
