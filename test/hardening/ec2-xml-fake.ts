/**
 * A tiny EC2 Query-protocol fake on loopback that answers the six list actions the AWS driver
 * reads (regions, zones, instance types, images, instances, key pairs) with EC2's XML, one
 * well-formed entry each, plus whatever extra `<item>` a test injects: the AWS SDK then parses a
 * hostile answer exactly as it would parse EC2's. Everything else is a 400 `UnsupportedOperation`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The list actions and the XML of their one real entry. */
export const EC2_LISTS = {
  DescribeRegions: {
    set: 'regionInfo',
    item: '<regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus>',
  },
  DescribeAvailabilityZones: {
    set: 'availabilityZoneInfo',
    item: '<zoneName>us-east-1a</zoneName><zoneId>use1-az1</zoneId><zoneState>available</zoneState><regionName>us-east-1</regionName><zoneType>availability-zone</zoneType>',
  },
  DescribeInstanceTypes: {
    set: 'instanceTypeSet',
    item: '<instanceType>t3.micro</instanceType><vCpuInfo><defaultVCpus>2</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>1024</sizeInMiB></memoryInfo><processorInfo><supportedArchitectures><item>x86_64</item></supportedArchitectures></processorInfo>',
  },
  DescribeImages: {
    set: 'imagesSet',
    item: '<imageId>ami-0a1b2c3d4e5f60718</imageId><name>ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250101</name><imageOwnerId>099720109477</imageOwnerId><imageState>available</imageState><architecture>x86_64</architecture><creationDate>2025-01-01T00:00:00.000Z</creationDate>',
  },
  DescribeInstances: {
    set: 'reservationSet',
    item: '<reservationId>r-0123456789abcdef0</reservationId><ownerId>123456789012</ownerId><instancesSet><item><instanceId>i-0123456789abcdef0</instanceId><imageId>ami-0a1b2c3d4e5f60718</imageId><instanceState><code>16</code><name>running</name></instanceState><instanceType>t3.micro</instanceType><placement><availabilityZone>us-east-1a</availabilityZone></placement><tagSet><item><key>Name</key><value>entries-1</value></item></tagSet></item></instancesSet>',
  },
  DescribeKeyPairs: {
    set: 'keySet',
    item: '<keyPairId>key-0123456789abcdef0</keyPairId><keyName>entries-key</keyName><keyFingerprint>ab:cd</keyFingerprint>',
  },
} as const;

export type Ec2ListAction = keyof typeof EC2_LISTS;

/** A running fake. */
export interface Ec2XmlFake {
  readonly url: string;
  /** Extra XML inside the list's set (after the real entry), per action; for `DescribeInstances`, inside the reservation's `instancesSet`. */
  readonly extra: Partial<Record<Ec2ListAction, string>>;
  /** Actions received, in order. */
  readonly actions: string[];
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1, port 0. */
export async function startEc2XmlFake(): Promise<Ec2XmlFake> {
  const extra: Partial<Record<Ec2ListAction, string>> = {};
  const actions: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const action = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('Action') ?? '';
      actions.push(action);
      const list = EC2_LISTS[action as Ec2ListAction] as { set: string; item: string } | undefined;
      const requestId = '11111111-2222-3333-4444-555555555555';
      if (!list) {
        response.writeHead(400, { 'content-type': 'text/xml' });
        response.end(
          `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnsupportedOperation</Code><Message>${action}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
        );
        return;
      }
      const injected = extra[action as Ec2ListAction] ?? '';
      const items =
        action === 'DescribeInstances'
          ? `<item>${list.item.replace('</instancesSet>', `${injected}</instancesSet>`)}</item>`
          : `<item>${list.item}</item>${injected}`;
      response.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
      response.end(
        `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId}</requestId><${list.set}>${items}</${list.set}></${action}Response>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    extra,
    actions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
