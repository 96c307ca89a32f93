/**
 * The reliability suite for the AWS driver: driver → fault proxy → EC2 front (ClientToken
 * idempotency) → moto.
 */
import { fileURLToPath } from 'node:url';
import { startEc2Front, startMoto, UBUNTU_2404_AMD64, type Ec2Front, type MotoServer } from '../aws/harness.js';
import { startFaultProxy } from '../fakes/fault-proxy/index.js';
import { AWS_PLANTED, makeReliabilityDriver } from './factories/aws.js';
import { runReliabilitySuite } from './suite.js';

const describeInstances = 'DescribeInstances';
const regionOf = (authorization: unknown) => /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(authorization ?? ''))?.[1];

runReliabilitySuite('aws', { perRegion: true, sendsRetryAfter: false }, async () => {
  const moto: MotoServer = await startMoto();
  const front: Ec2Front = await startEc2Front(moto.url);
  const proxy = await startFaultProxy(front.url);
  return {
    provider: 'aws',
    format: 'ec2',
    proxy,
    upstreamUrl: front.url,
    factoryModule: fileURLToPath(new URL('./factories/aws.ts', import.meta.url)),
    makeDriver: makeReliabilityDriver,
    location: 'us-east-1',
    size: 't3.micro',
    image: UBUNTU_2404_AMD64,
    missingNodeId: 'i-0123456789abcdef0',
    pageSize: 5,
    routes: {
      listNodes: { action: describeInstances, body: /^(?![\s\S]*(NextToken|InstanceId\.1)=)/ },
      laterPage: { action: describeInstances, body: /NextToken=/ },
      getNode: { action: describeInstances, body: /InstanceId\.1=/ },
      createNode: { action: 'RunInstances' },
    },
    endlessPage: (request) => {
      const token = /NextToken=page-(\d+)/.exec(request.body)?.[1];
      const page = token === undefined ? 1 : Number(token);
      return {
        status: 200,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body:
          '<?xml version="1.0" encoding="UTF-8"?>\n' +
          `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>endless-${page}</requestId>` +
          `<reservationSet/><nextToken>page-${page + 1}</nextToken></DescribeInstancesResponse>`,
      };
    },
    limits: { maxNameLength: 255, maxTags: 49, maxTagKeyLength: 128, maxTagValueLength: 256, maxUserDataBytes: 16 * 1024 },
    secrets: [
      { value: AWS_PLANTED.secretAccessKey, onWire: false },
      { value: AWS_PLANTED.sessionToken, onWire: true },
    ],
    regions: {
      failing: 'eu-central-1',
      failingRequests: { match: (request) => regionOf(request.headers.authorization) === 'eu-central-1' },
    },
    cleanup: async () => {
      await proxy.close();
      await front.close();
      await moto.stop();
    },
  };
});
