/**
 * EC2 key pairs as polycloud key pairs, and the login user of an instance's AMI.
 *
 * EC2 key pairs are regional: `importKeyPair` registers the key in every region the driver
 * covers (so `providerOptions.keyName` works wherever a node is created), and `listKeyPairs`
 * lists each region's pairs with ids `region:key-…`. A node records its key in `KeyName`, which
 * is how cleanup knows which keys are in use.
 *
 * @module
 */
import type { KeyPairInfo } from '@aws-sdk/client-ec2';
import {
  InvalidRequestError,
  fanOut,
  isManagedKeyName,
  isNotFoundError,
  isPartialFailureError,
  publicKeyFingerprint,
  type DriverContext,
  type DriverImplementation,
  type KeyPair,
} from '../../src/kit.js';
import { checkEntries } from '../../src/kit.js';
import { checkAwsKeyPair } from './schemas.js';
import type { Ec2CallContext, Ec2Transport } from './client.js';
import type { Ec2Instance as Instance } from './types.js';

/** What the key-pair calls need from the driver. */
export interface AwsKeyPairDeps {
  readonly transport: Ec2Transport;
  regions(context: DriverContext): Promise<readonly string[]>;
  /** The driver's default region (given, or as the SDK resolves it). */
  defaultRegion(): Promise<string>;
  readonly concurrency: number;
}

type KeyPairPart = Pick<
  DriverImplementation<Instance, unknown>,
  'listKeyPairs' | 'importKeyPair' | 'deleteKeyPair' | 'keyPairsOfNode' | 'sshLogin'
>;

const KEY_PAIR_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+):(key-[0-9a-f]{8,17})$/;

/** An EC2 key pair in `region` as a polycloud key pair. */
export function mapKeyPair(info: KeyPairInfo, region: string): KeyPair {
  const publicKey = info.PublicKey?.trim() || null;
  return {
    id: `${region}:${info.KeyPairId ?? ''}`,
    name: info.KeyName ?? '',
    provider: 'aws',
    fingerprint: (publicKey && publicKeyFingerprint(publicKey)) ?? info.KeyFingerprint ?? null,
    publicKey,
    managed: isManagedKeyName(info.KeyName ?? ''),
    createdAt: info.CreateTime ?? null,
  };
}

/** The login user the publisher of an AMI set up, from the AMI's name. */
export function loginUserForAmi(name: string | undefined): string {
  const lower = (name ?? '').toLowerCase();
  if (lower.includes('ubuntu')) return 'ubuntu';
  if (lower.includes('debian')) return 'admin';
  if (lower.includes('centos')) return 'centos';
  if (lower.includes('fedora')) return 'fedora';
  if (lower.includes('rocky')) return 'rocky';
  // Amazon Linux, RHEL, SUSE, AlmaLinux and most others.
  return 'ec2-user';
}

/** Like `fanOut`, but when every region failed, the first region's typed error (e.g. a duplicate name's `ConflictError`). */
async function fanOutOrFirstFailure<T>(...args: Parameters<typeof fanOut<T>>): Promise<T[]> {
  try {
    return await fanOut<T>(...args);
  } catch (error) {
    if (isPartialFailureError(error) && error.partial.length === 0 && error.failures[0]) throw error.failures[0];
    throw error;
  }
}

/** The key-pair and login members of the AWS driver implementation. */
export function awsKeyPairs(deps: AwsKeyPairDeps): KeyPairPart {
  const { transport } = deps;
  const call = (context: DriverContext): Ec2CallContext => ({
    operation: context.operation,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const listIn = async (region: string, context: DriverContext): Promise<KeyPair[]> => {
    const output = await transport.call(region, call(context), (client, abort, sdk) =>
      client.send(new sdk.DescribeKeyPairsCommand({ IncludePublicKey: true }), abort),
    );
    return checkEntries(checkAwsKeyPair, output.KeyPairs, { provider: 'aws', operation: context.operation, location: region }).map((info) =>
      mapKeyPair(info, region),
    );
  };
  const amiNames = new Map<string, string | undefined>();

  return {
    async listKeyPairs(context) {
      const regions = await deps.regions(context);
      return fanOut(regions, (region) => listIn(region, context), {
        concurrency: deps.concurrency,
        provider: 'aws',
        operation: context.operation,
      });
    },

    async importKeyPair(request, context) {
      const regions = await deps.regions(context);
      const imported = await fanOutOrFirstFailure(
        regions,
        async (region) => {
          const output = await transport.call(region, call(context), (client, abort, sdk) =>
            client.send(
              new sdk.ImportKeyPairCommand({ KeyName: request.name, PublicKeyMaterial: Buffer.from(request.publicKey, 'utf8') }),
              abort,
            ),
          );
          return [
            mapKeyPair(
              {
                KeyName: output.KeyName ?? request.name,
                KeyPairId: output.KeyPairId,
                KeyFingerprint: output.KeyFingerprint,
                PublicKey: request.publicKey,
              },
              region,
            ),
          ];
        },
        { concurrency: deps.concurrency, provider: 'aws', operation: context.operation },
      );
      const home = await deps.defaultRegion();
      return imported.find((key) => key.id.startsWith(`${home}:`)) ?? (imported[0] as KeyPair);
    },

    async deleteKeyPair(id, context) {
      const match = KEY_PAIR_ID.exec(id);
      if (!match) {
        throw new InvalidRequestError(
          `"keyPair" must be an id from listKeyPairs such as "us-east-1:key-0abc12345", got ${JSON.stringify(id)}`,
          {
            provider: 'aws',
            operation: context.operation,
            field: 'keyPair',
          },
        );
      }
      const region = match[1] as string;
      // Deleted by name: every EC2 implementation takes KeyName (moto takes nothing else), and
      // the id says which name without trusting a name in an id.
      const known = (await listIn(region, context)).find((key) => key.id === id);
      if (!known) return;
      try {
        await transport.call(region, call(context), (client, abort, sdk) =>
          client.send(new sdk.DeleteKeyPairCommand({ KeyName: known.name }), abort),
        );
      } catch (error) {
        // Deleting a key that is already gone succeeds.
        if (isNotFoundError(error)) return;
        throw error;
      }
    },

    keyPairsOfNode: (node) => (node.raw.KeyName ? [node.raw.KeyName] : []),

    async sshLogin(node, context) {
      const imageId = node.raw.ImageId;
      if (!imageId) return { user: 'ec2-user' };
      if (!amiNames.has(imageId)) {
        const output = await transport.call(node.location.region, call(context), (client, abort, sdk) =>
          client.send(new sdk.DescribeImagesCommand({ ImageIds: [imageId] }), abort),
        );
        amiNames.set(imageId, output.Images?.[0]?.Name);
      }
      return { user: loginUserForAmi(amiNames.get(imageId)) };
    },
  };
}
