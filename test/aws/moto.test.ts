/**
 * The moto harness itself: a missing moto fails loudly (the AWS tests never skip), and the
 * fixture AMIs really are served under the publishers' accounts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_OWNER } from '../../providers/aws/images.js';
import { rejectionOf } from '../conformance/suite.js';
import { FIXTURE_AMIS, UBUNTU_2404_AMD64, createAwsTestDriver, startMoto, type MotoServer } from './harness.js';

describe('startMoto', () => {
  it('fails with the install hint when moto cannot be started', async () => {
    const error = await rejectionOf(startMoto({ python: 'python3-that-does-not-exist', startTimeoutMs: 5_000 }));
    expect((error as Error).message).toMatch(/moto did not start/);
    expect((error as Error).message).toContain('pip install');
  });

  describe('with moto running', () => {
    let moto: MotoServer;
    beforeAll(async () => {
      moto = await startMoto();
    });
    afterAll(async () => {
      await moto?.stop();
    });

    it("serves the fixture AMIs under Canonical's account in every region, with AMI validation on", async () => {
      const driver = createAwsTestDriver(moto.url, { regions: ['us-east-1', 'ap-southeast-2'] });
      for (const location of ['us-east-1', 'ap-southeast-2']) {
        const images = await driver.listImages({ os: 'ubuntu', version: '24.04', arch: 'x86_64', location });
        expect(images.map((image) => image.id)).toEqual([UBUNTU_2404_AMD64]);
      }
      expect(FIXTURE_AMIS.find((ami) => ami.ami_id === UBUNTU_2404_AMD64)?.owner_id).toBe(CANONICAL_OWNER);
      const error = await rejectionOf(
        driver.createNode({ name: 'no-ami', size: 't3.micro', image: 'ami-0fedcba9876543210', location: 'us-east-1' }),
      );
      expect((error as { field?: string }).field).toBe('image');
    });
  });
});
