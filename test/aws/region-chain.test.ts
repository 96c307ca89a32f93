/**
 * The AWS driver's default region comes from the SDK's own chain, as the AWS CLI's does:
 * `AWS_REGION`, then the profile's `region` in the shared config file — never an invented
 * `us-east-1`. What reached the server is read from the request's SigV4 credential scope.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsDriver } from '../../providers/aws/index.js';
import { isConfigurationError } from '../../src/core/errors.js';
import { rejectionOf } from '../conformance/suite.js';
import { TEST_CREDENTIALS } from './harness.js';

let server: Server;
let url: string;
let dir: string;
const scopes: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polycloud-aws-region-'));
  writeFileSync(join(dir, 'config'), '[default]\nregion = ap-south-1\n\n[profile dev]\nregion = eu-west-3\n');
  writeFileSync(join(dir, 'empty'), '');
  server = createServer((request, response) => {
    // Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/<region>/ec2/aws4_request, …
    const scope = /Credential=[^/]+\/\d+\/([^/]+)\/ec2\//.exec(String(request.headers.authorization))?.[1];
    scopes.push(scope ?? 'none');
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        '<DescribeInstanceTypesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><instanceTypeSet/></DescribeInstanceTypesResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  scopes.length = 0;
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[name];
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'empty');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

const driver = (options: { profile?: string } = {}) =>
  createAwsDriver({ endpoint: url, credentials: TEST_CREDENTIALS, retry: { retries: 0 }, ...options });

describe('aws default region', () => {
  it("is the profile's region in the shared config file", async () => {
    await driver({ profile: 'dev' }).listSizes();
    expect(scopes).toEqual(['eu-west-3']);
  });

  it("is the default profile's region without a profile, and AWS_PROFILE selects another", async () => {
    await driver().listSizes();
    process.env.AWS_PROFILE = 'dev';
    await driver().listSizes();
    expect(scopes).toEqual(['ap-south-1', 'eu-west-3']);
  });

  it('is AWS_REGION before the config file', async () => {
    process.env.AWS_REGION = 'ca-central-1';
    await driver({ profile: 'dev' }).listSizes();
    expect(scopes).toEqual(['ca-central-1']);
  });

  it('is a ConfigurationError saying how to set one when nothing names a region, and nothing is sent', async () => {
    process.env.AWS_CONFIG_FILE = join(dir, 'empty');
    const error = await rejectionOf(driver().listSizes());
    expect(isConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/AWS_REGION/);
    expect((error as Error).message).toMatch(/aws configure set region/);
    expect(scopes).toEqual([]);
  });
});
