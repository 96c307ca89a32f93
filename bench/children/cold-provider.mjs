/* global process, URL */
// One cold start of a provider: polycloud's driver or the bare SDK client, with or without its
// first request against the loopback cold server. Plain JavaScript with no loader, run as a
// fresh process, so only the import, the client and the request are measured.
//
// Usage: node bench/children/cold-provider.mjs <aws|gce> <driver|sdk|sdk-require> <import|call> <endpoint>
const [provider, variant, mode, endpoint] = process.argv.slice(2);
const credentials = { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'bench-secret' };

async function testAuthClient() {
  const { OAuth2Client } = await import('google-auth-library');
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'bench-token', expiry_date: Date.now() + 3_600_000 });
  return client;
}

if (provider === 'aws' && variant === 'driver') {
  const { createAwsDriver } = await import('polycloud/providers/aws');
  const driver = createAwsDriver({ regions: ['us-east-1'], endpoint, credentials });
  if (mode === 'call') await driver.listNodes();
} else if (provider === 'aws' && variant === 'sdk') {
  const { EC2Client, DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
  const client = new EC2Client({ region: 'us-east-1', endpoint, credentials });
  if (mode === 'call') await client.send(new DescribeInstancesCommand({ MaxResults: 1000 }));
} else if (provider === 'aws' && variant === 'sdk-require') {
  // The SDK as the driver loads it (require(): it is CommonJS), for a like-for-like comparison.
  const { createRequire } = await import('node:module');
  const { EC2Client, DescribeInstancesCommand } = createRequire(import.meta.url)('@aws-sdk/client-ec2');
  const client = new EC2Client({ region: 'us-east-1', endpoint, credentials });
  if (mode === 'call') await client.send(new DescribeInstancesCommand({ MaxResults: 1000 }));
} else if (provider === 'gce' && variant === 'driver') {
  const { createGceDriver } = await import('polycloud/providers/gce');
  const driver = createGceDriver({ project: 'bench-project-1', zones: ['us-central1-a'], endpoint, authClient: await testAuthClient() });
  if (mode === 'call') await driver.listNodes();
} else if (provider === 'gce' && variant === 'sdk') {
  const { InstancesClient } = await import('@google-cloud/compute');
  const url = new URL(endpoint);
  const client = new InstancesClient({
    projectId: 'bench-project-1',
    fallback: true,
    apiEndpoint: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    authClient: await testAuthClient(),
  });
  if (mode === 'call')
    await client.list({ project: 'bench-project-1', zone: 'us-central1-a', maxResults: 500 }, { autoPaginate: false, retry: null });
} else {
  throw new Error(`usage: cold-provider.mjs <aws|gce> <driver|sdk> <import|call> <endpoint>, got ${process.argv.slice(2).join(' ')}`);
}
