/**
 * The Azure driver's own promises: what createNode builds and destroyNode removes, a create whose
 * long-running operation fails half-way leaves nothing behind, power states from the instance
 * view, configuration errors, and no token in any error.
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createAzureDriver } from '../../providers/azure/index.js';
import { createDriver } from '../../src/core/registry.js';
import {
  isAuthenticationError,
  isCloudError,
  isConfigurationError,
  isConflictError,
  isInvalidRequestError,
  isQuotaError,
  type CloudError,
} from '../../src/core/errors.js';
import { rejectionOf } from '../conformance/suite.js';
import type { AzureFake } from '../fakes/azure/index.js';
import { AZURE_PLANTED_TOKEN, AZURE_SUBSCRIPTION, startAzure } from './harness.js';

const request = { size: 'Standard_B2s', image: 'Canonical:ubuntu-24_04-lts:server:latest', location: 'westeurope' } as const;
let fake: AzureFake | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('azure createNode and destroyNode', () => {
  it('creates a virtual network, public IP, NIC and VM, and destroyNode removes exactly those', async () => {
    const started = await startAzure();
    fake = started.fake;
    const node = await started.driver.createNode({
      ...request,
      name: 'web-1',
      sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJq0 test'],
      userData: '#cloud-config\n',
    });
    const ids = fake.resourceIds().map((id) => id.split('/providers/')[1]);
    expect(ids.sort()).toEqual(
      [
        'Microsoft.Compute/virtualMachines/web-1',
        'Microsoft.Network/networkInterfaces/web-1-nic',
        'Microsoft.Network/publicIPAddresses/web-1-ip',
        'Microsoft.Network/virtualNetworks/web-1-vnet',
      ].sort(),
    );
    expect(node.publicIps).toHaveLength(1);
    expect(node.location).toMatchObject({ region: 'westeurope', country: 'NL' });

    const vmPut = fake.requests.find((each) => each.method === 'PUT' && /virtualMachines\/web-1$/.test(each.path));
    const body = JSON.parse(vmPut!.body) as {
      properties: { osProfile: { customData: string; linuxConfiguration: { ssh: { publicKeys: { keyData: string }[] } } } };
    };
    expect(Buffer.from(body.properties.osProfile.customData, 'base64').toString()).toBe('#cloud-config\n');
    expect(body.properties.osProfile.linuxConfiguration.ssh.publicKeys[0]?.keyData).toContain('ssh-ed25519');

    // Someone else's resource in the same group stays.
    await started.driver.createNode({ ...request, name: 'other' });
    await started.driver.destroyNode(node);
    expect(fake.resourceIds().every((id) => /other/.test(id))).toBe(true);
    expect(fake.resourceIds()).toHaveLength(4);
    expect(fake.violations).toEqual([]);
  });

  it('leaves nothing behind when the VM is refused inside its long-running operation (NIC made)', async () => {
    const started = await startAzure();
    fake = started.fake;
    fake.faults.refuseVm = {
      code: 'AllocationFailed',
      message: 'Allocation failed. We do not have sufficient capacity for the requested VM size in this region.',
    };
    const error = await rejectionOf(started.driver.createNode({ ...request, name: 'refused' }));
    expect(isCloudError(error), String(error)).toBe(true);
    expect(isQuotaError(error), inspect(error, { depth: 3 })).toBe(true);
    expect((error as CloudError).provider).toBe('azure');
    expect((error as CloudError).operation).toBe('createNode');
    // The NIC was made before the VM was refused …
    expect(fake.requests.some((each) => each.method === 'PUT' && /networkInterfaces\/refused-nic$/.test(each.path))).toBe(true);
    // … and everything the create made is gone again: the failed VM, NIC, public IP and virtual network.
    expect(fake.resourceIds()).toEqual([]);
    const deletes = fake.requests.filter((each) => each.method === 'DELETE').map((each) => each.path.split('/').slice(-2).join('/'));
    expect(deletes).toEqual([
      'virtualMachines/refused',
      'networkInterfaces/refused-nic',
      'publicIPAddresses/refused-ip',
      'virtualNetworks/refused-vnet',
    ]);
  });

  it('creates the resource group when asked, and no public IP when told so', async () => {
    const started = await startAzure({ resourceGroups: [] }, { createResourceGroup: true });
    fake = started.fake;
    expect(await started.driver.listNodes()).toEqual([]); // a group that does not exist yet holds no nodes
    const node = await started.driver.createNode({ ...request, name: 'private', providerOptions: { publicIp: false } });
    expect(fake.requests.some((each) => each.method === 'PUT' && /\/resourcegroups\/polycloud$/i.test(each.path))).toBe(true);
    expect(node.publicIps).toEqual([]);
    expect(node.privateIps).toHaveLength(1);
    expect(fake.resourceIds().some((id) => /publicIPAddresses/.test(id))).toBe(false);
    await started.driver.destroyNode(node);
    expect(fake.resourceIds()).toEqual([]);
  });

  it('returns the same VM for a repeated idempotency key and refuses a taken name', async () => {
    const started = await startAzure();
    fake = started.fake;
    const first = await started.driver.createNode({ ...request, name: 'same', idempotencyKey: 'key-1' });
    const again = await started.driver.createNode({ ...request, name: 'same', idempotencyKey: 'key-1' });
    expect(again.id).toBe(first.id);
    expect(fake.requests.filter((each) => each.method === 'PUT' && /virtualMachines\/same$/.test(each.path))).toHaveLength(1);
    expect(isConflictError(await rejectionOf(started.driver.createNode({ ...request, name: 'same', idempotencyKey: 'key-2' })))).toBe(true);
  });

  it('maps power states from the instance view: deallocated is stopped', async () => {
    const started = await startAzure();
    fake = started.fake;
    const node = await started.driver.createNode({ ...request, name: 'power' });
    expect(node).toMatchObject({ state: 'running', rawState: 'PowerState/running' });
    await started.driver.stopNode(node);
    expect(await started.driver.getNode('power')).toMatchObject({ state: 'stopped', rawState: 'PowerState/deallocated' });
  });

  it('rejects bad input before any request', async () => {
    const started = await startAzure();
    fake = started.fake;
    const error = await rejectionOf(started.driver.createNode({ ...request, name: 'x1', image: 'ubuntu' }));
    expect(isInvalidRequestError(error)).toBe(true);
    expect((error as { field?: string }).field).toBe('image');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('azure configuration and secrets', () => {
  it('createDriver("azure") without a subscription is a ConfigurationError naming the environment variables', async () => {
    const saved = process.env.AZURE_SUBSCRIPTION_ID;
    delete process.env.AZURE_SUBSCRIPTION_ID;
    try {
      const error = await rejectionOf(createDriver('azure'));
      expect(isConfigurationError(error)).toBe(true);
      for (const name of ['AZURE_SUBSCRIPTION_ID', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'])
        expect((error as Error).message).toContain(name);
    } finally {
      if (saved !== undefined) process.env.AZURE_SUBSCRIPTION_ID = saved;
    }
  });

  it('refuses a plain-http endpoint that is not loopback', () => {
    expect(() => createAzureDriver({ subscriptionId: AZURE_SUBSCRIPTION, endpoint: 'http://192.0.2.10:8080' })).toThrow(/endpoint/);
  });

  it('speaks plain http to a loopback endpoint (an emulator), with the bearer token the SDK would refuse to send there', async () => {
    const started = await startAzure({ tls: false }, { caCertificate: undefined });
    fake = started.fake;
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const node = await started.driver.createNode({ ...request, name: 'plain-1' });
    expect((await started.driver.listNodes()).map((each) => each.id)).toEqual([node.id]);
    expect(fake.violations).toEqual([]);
    expect(fake.requests.length).toBeGreaterThan(3);
    expect(fake.requests.every((each) => each.headers.authorization === `Bearer ${AZURE_PLANTED_TOKEN}`)).toBe(true);
  });

  it('a rejected token is an AuthenticationError that never shows the token', async () => {
    const started = await startAzure({ token: 'the-token-the-server-wants' });
    fake = started.fake;
    const error = await rejectionOf(started.driver.listNodes());
    expect(isAuthenticationError(error), String(error)).toBe(true);
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${AZURE_PLANTED_TOKEN}`);
    for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), (error as Error).stack ?? '']) {
      expect(text).not.toContain(AZURE_PLANTED_TOKEN);
    }
    expect((error as CloudError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
