/**
 * The Azure driver's launch spec against the ARM fake: user data sent at create as `userData`
 * (beside the `customData` cloud-init reads, which ARM never returns) comes back from a read with
 * `$expand=userData`; the SSH keys from the VM's `osProfile`, never the throwaway key of a keyless
 * create; the marketplace image with its OS. Failures are typed and never echo the user data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isNodeNotFoundError, type CloudError } from '../../src/core/errors.js';
import { rejectionOf } from '../conformance/suite.js';
import type { AzureFake } from '../fakes/azure/index.js';
import { startAzure } from './harness.js';

const request = { size: 'Standard_B2s', image: 'Canonical:ubuntu-24_04-lts:server:latest', location: 'westeurope' } as const;
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJq0 ops@example';
const SECRET_USER_DATA = '#cloud-config\nwrite_files:\n  - path: /etc/app.env\n    content: DB_PASSWORD=hunter2-azure\n';
let fake: AzureFake | undefined;

afterEach(async () => {
  expect(fake?.violations ?? []).toEqual([]);
  await fake?.close();
  fake = undefined;
});

const vmReads = (name: string) =>
  (fake?.requests ?? []).filter((each) => each.method === 'GET' && each.path.endsWith(`/virtualMachines/${name}`));

describe('azure getLaunchSpec', () => {
  it('reads back the user data, the SSH key and the marketplace image of a VM created with them', async () => {
    const started = await startAzure();
    fake = started.fake;
    const node = await started.driver.createNode({ ...request, name: 'web-1', sshKeys: [KEY], userData: SECRET_USER_DATA });
    // The create sends the text twice: customData for cloud-init, userData to be read back.
    const put = fake.requests.find((each) => each.method === 'PUT' && /virtualMachines\/web-1$/.test(each.path));
    const body = JSON.parse(put!.body) as { properties: { userData: string; osProfile: { customData: string } } };
    expect(Buffer.from(body.properties.userData, 'base64').toString()).toBe(SECRET_USER_DATA);
    expect(body.properties.osProfile.customData).toBe(body.properties.userData);
    // ARM never shows customData; userData only when asked for.
    expect(JSON.stringify(node.raw)).not.toContain(body.properties.userData);

    const spec = await started.driver.getLaunchSpec!(node);
    expect(spec.userData).toBe(SECRET_USER_DATA);
    expect(spec.sshKeys).toEqual([KEY]);
    expect(spec.image).toMatchObject({
      id: 'Canonical:ubuntu-24_04-lts:server:latest',
      provider: 'azure',
      os: { family: 'ubuntu', version: '24.04' },
      arch: 'x86_64',
    });
    const read = vmReads('web-1').at(-1);
    expect(read?.query.get('$expand')).toBe('userData');
    // `properties.userData`: "Minimum api-version: 2021-03-01" (virtualMachine.json).
    expect((read?.query.get('api-version') ?? '') >= '2021-03-01').toBe(true);
  });

  it('gives no user data and no key for a VM created without (the throwaway key is not the caller’s)', async () => {
    const started = await startAzure();
    fake = started.fake;
    const node = await started.driver.createNode({ ...request, name: 'bare' });
    const put = fake.requests.find((each) => each.method === 'PUT' && /virtualMachines\/bare$/.test(each.path));
    const body = JSON.parse(put!.body) as { properties: Record<string, unknown> & { osProfile: Record<string, unknown> } };
    expect('userData' in body.properties).toBe(false);
    expect('customData' in body.properties.osProfile).toBe(false);
    const spec = await started.driver.getLaunchSpec!(node.id);
    expect('userData' in spec).toBe(false);
    expect(spec.sshKeys).toEqual([]);
    expect(vmReads('bare').at(-1)?.query.get('$expand')).toBe('userData');
  });

  it('a VM that is gone is a NodeNotFoundError; a refused read is a typed error without the user data', async () => {
    const started = await startAzure();
    fake = started.fake;
    expect(isNodeNotFoundError(await rejectionOf(started.driver.getLaunchSpec!('nowhere')))).toBe(true);

    const node = await started.driver.createNode({ ...request, name: 'broken', userData: SECRET_USER_DATA });
    // A broken server: the user data is not base64.
    fake.faults.rewrite = (answer, where) =>
      where.method === 'GET' && where.path.endsWith('/virtualMachines/broken')
        ? { ...(answer as object), properties: { ...(answer as { properties: object }).properties, userData: 'hunter2 is not base64!' } }
        : answer;
    const error = (await rejectionOf(started.driver.getLaunchSpec!(node))) as CloudError;
    expect(error).toMatchObject({ provider: 'azure', operation: 'getLaunchSpec', code: 'malformed-response' });
    expect(error.message).not.toContain('hunter2');
  });
});
