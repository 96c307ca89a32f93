/**
 * Every check that can fail runs before anything changes (issue 18): a create with SSH keys and an
 * invalid size, image or location is refused with an `InvalidRequestError` naming the field, and
 * the server saw no request that changes anything (no key registered, no node, no resource group):
 * only reads. One case per field and driver, through the real client to the provider's fake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../src/core/driver.js';
import { isInvalidRequestError } from '../../src/core/errors.js';
import { createAwsTestDriver } from '../aws/harness.js';
import { startAzure } from '../azure/harness.js';
import { startDigitalOceanFake } from '../fakes/digitalocean/index.js';
import { startFaultProxy, type FaultProxy } from '../fakes/fault-proxy/index.js';
import { startGceFake } from '../fakes/gce/index.js';
import { startHetznerFake } from '../fakes/hetzner/index.js';
import { startLinodeFake } from '../fakes/linode/index.js';
import { startOpenStackFake } from '../fakes/openstack/index.js';
import { DIGITALOCEAN_PLANTED_TOKEN, makeReliabilityDriver as makeDigitalOcean } from '../reliability/factories/digitalocean.js';
import { GCE_PLANTED, GCE_PROJECT, makeReliabilityDriver as makeGce } from '../reliability/factories/gce.js';
import { HETZNER_PLANTED_TOKEN, makeReliabilityDriver as makeHetzner } from '../reliability/factories/hetzner.js';
import { LINODE_PLANTED_TOKEN, makeReliabilityDriver as makeLinode } from '../reliability/factories/linode.js';
import { OPENSTACK_REL_USER, makeReliabilityDriver as makeOpenStack } from '../reliability/factories/openstack.js';
import { startScalewayHarness } from '../scaleway/harness.js';
import { startVultrHarness } from '../vultr/harness.js';
import { startEc2XmlFake } from './ec2-xml-fake.js';
import { sshPublicKey } from './entries.js';

interface OrderingFixture {
  readonly driver: Driver;
  readonly valid: { readonly size: string; readonly image: string; readonly location: string };
  readonly invalid: { readonly size: string; readonly image: string; readonly location: string };
  /** Requests so far that change something (anything but reads and token requests). */
  changes(): string[];
  close(): Promise<void>;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function proxyChanges(proxy: FaultProxy, ignore: RegExp = /$^/): () => string[] {
  return () =>
    proxy.requests.filter((request) => MUTATING.has(request.method) && !ignore.test(request.path)).map((r) => `${r.method} ${r.path}`);
}

function orderingCases(name: string, start: () => Promise<OrderingFixture>): void {
  describe(`${name}: checks before side effects`, () => {
    let fixture: OrderingFixture | undefined;
    beforeAll(async () => {
      fixture = await start();
    }, 120_000);
    afterAll(async () => fixture?.close());

    for (const field of ['size', 'image', 'location'] as const) {
      it(`an unknown ${field} with SSH keys is refused naming "${field}", with no request that changes anything`, async () => {
        const { driver, valid, invalid, changes } = fixture as OrderingFixture;
        const error = await driver
          .createNode({
            name: `order-${field}-1`,
            ...valid,
            [field]: invalid[field],
            sshKeys: [sshPublicKey('first')],
          })
          .then(
            () => undefined,
            (failure: unknown) => failure,
          );
        expect(isInvalidRequestError(error), String(error)).toBe(true);
        expect((error as { field?: string }).field).toBe(field);
        expect(changes()).toEqual([]);
      });
    }
  });
}

const timings = { boot: 50, reboot: 50, stop: 50, terminate: 50 };

orderingCases('digitalocean', async () => {
  const fake = await startDigitalOceanFake({ token: DIGITALOCEAN_PLANTED_TOKEN, timings });
  const proxy = await startFaultProxy(fake.url);
  return {
    driver: makeDigitalOcean(proxy.url, { retries: 0 }),
    valid: { size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', location: 'fra1' },
    invalid: { size: 's-999vcpu-1gb', image: 'no-such-image-x64', location: 'zz9' },
    changes: proxyChanges(proxy),
    close: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});

orderingCases('hetzner', async () => {
  const fake = await startHetznerFake({ token: HETZNER_PLANTED_TOKEN, timings });
  const proxy = await startFaultProxy(fake.server.url);
  return {
    driver: makeHetzner(proxy.url, { retries: 0 }),
    valid: { size: 'cx22', image: '161547269', location: 'fsn1' },
    invalid: { size: 'cx999', image: '999999999', location: 'zz1' },
    changes: proxyChanges(proxy),
    close: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});

orderingCases('linode', async () => {
  const fake = await startLinodeFake({ token: LINODE_PLANTED_TOKEN, timings });
  const proxy = await startFaultProxy(fake.server.url);
  return {
    driver: makeLinode(proxy.url, { retries: 0 }),
    valid: { size: 'g6-nanode-1', image: 'linode:ubuntu24.04', location: 'us-east' },
    invalid: { size: 'g6-nowhere-1', image: 'linode:nosuchos1.0', location: 'zz-nowhere' },
    changes: proxyChanges(proxy),
    close: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});

orderingCases('gce', async () => {
  const fake = await startGceFake({ project: GCE_PROJECT, token: GCE_PLANTED.accessToken, timings });
  const proxy = await startFaultProxy(fake.url);
  return {
    driver: makeGce(proxy.url, { retries: 0 }),
    valid: { size: 'e2-standard-2', image: 'ubuntu-os-cloud:ubuntu-2404-lts-amd64', location: 'us-central1-a' },
    invalid: { size: 'e2-nowhere-2', image: 'ubuntu-os-cloud:no-such-family', location: 'zz-nowhere1-a' },
    // Token refreshes are not changes on the project.
    changes: proxyChanges(proxy, /token/),
    close: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});

orderingCases('openstack', async () => {
  const fake = await startOpenStackFake({ user: OPENSTACK_REL_USER });
  const proxy = await startFaultProxy(fake.url);
  return {
    driver: makeOpenStack(proxy.url, { retries: 0 }),
    valid: { size: '2', image: 'a1f0c6a2-4c4e-4a8b-9a39-1c2a0b9f0001', location: 'nova' },
    invalid: { size: '999', image: 'a1f0c6a2-4c4e-4a8b-9a39-1c2a0b9f9999', location: 'nowhere' },
    // Keystone token requests are POSTs that change nothing on the project.
    changes: proxyChanges(proxy, /\/auth\/tokens$/),
    close: async () => {
      await proxy.close();
      await fake.close();
    },
  };
});

orderingCases('aws', async () => {
  const fake = await startEc2XmlFake();
  return {
    driver: createAwsTestDriver(fake.url, { regions: ['us-east-1'], retry: { retries: 0 } }),
    valid: { size: 't3.micro', image: 'ami-0a1b2c3d4e5f60718', location: 'us-east-1' },
    invalid: { size: 't3.nowhere', image: 'ami-0fffffffffffffff0', location: 'xx-nowhere-1' },
    changes: () => fake.actions.filter((action) => !action.startsWith('Describe')),
    close: () => fake.close(),
  };
});

orderingCases('azure', async () => {
  // No resource group yet, and the driver may create it: the old flow made it (and a network,
  // IP and NIC) before ARM refused the VM. The ARM fake speaks TLS only, so its own record is read.
  const { fake, driver } = await startAzure({ resourceGroups: [] }, { createResourceGroup: true, retry: { retries: 0 } });
  return {
    driver,
    valid: { size: 'Standard_B2s', image: 'Canonical:ubuntu-24_04-lts:server:latest', location: 'westeurope' },
    invalid: { size: 'Standard_Nowhere9', image: 'Canonical:ubuntu-24_04-lts:no-such-sku:latest', location: 'nowhereland' },
    changes: () => fake.requests.filter((request) => MUTATING.has(request.method)).map((r) => `${r.method} ${r.path}`),
    close: () => fake.close(),
  };
});

orderingCases('vultr', async () => {
  const harness = await startVultrHarness({ driver: { retry: { retries: 0 } } });
  return {
    driver: harness.driver,
    valid: { size: 'vc2-1c-1gb', image: '2284', location: 'ewr' },
    invalid: { size: 'vc2-999c-1gb', image: '999999', location: 'zzz' },
    changes: () => harness.fake.requests.filter((request) => MUTATING.has(request.method)).map((r) => `${r.method} ${r.path}`),
    close: () => harness.close(),
  };
});

orderingCases('scaleway', async () => {
  const harness = await startScalewayHarness({ driver: { retry: { retries: 0 } } });
  return {
    driver: harness.driver,
    valid: { size: 'DEV1-S', image: 'ubuntu_noble', location: 'fr-par-1' },
    invalid: { size: 'DEV9-XXL', image: 'no_such_label', location: 'zz-nowhere-1' },
    changes: () => harness.fake.requests.filter((request) => MUTATING.has(request.method)).map((r) => `${r.method} ${r.path}`),
    close: () => harness.close(),
  };
});
