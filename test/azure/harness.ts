/**
 * The Azure driver against the ARM fake: a fixed test credential (a `TokenCredential` returning a
 * planted token — no login, no metadata probing), the fake's certificate trusted, short polls.
 */
import { createAzureDriver, type AzureDriver, type AzureDriverOptions } from '../../providers/azure/index.js';
import { startAzureFake, type AzureFake, type AzureFakeOptions } from '../fakes/azure/index.js';

export const AZURE_SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
/** Recognisable token the secret scans look for. */
export const AZURE_PLANTED_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.azure-planted-ACCESS-token-7d1f3c9b';

/** A credential that hands out the planted token. */
export const plantedCredential = {
  getToken: async () => ({ token: AZURE_PLANTED_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** Starts the fake and makes a driver for it. */
export async function startAzure(
  fakeOptions: Partial<AzureFakeOptions> = {},
  driverOptions: Partial<AzureDriverOptions> = {},
): Promise<{ fake: AzureFake; driver: AzureDriver }> {
  const fake = await startAzureFake({ subscriptionId: AZURE_SUBSCRIPTION, token: AZURE_PLANTED_TOKEN, ...fakeOptions });
  const driver = createAzureDriver({
    subscriptionId: AZURE_SUBSCRIPTION,
    resourceGroup: 'polycloud',
    credential: plantedCredential,
    endpoint: fake.url,
    caCertificate: fake.certificate,
    pollIntervalMs: 10,
    requestTimeoutMs: 10_000,
    retry: { retries: 2, minDelayMs: 10, maxDelayMs: 50, jitter: false },
    ...driverOptions,
  });
  return { fake, driver };
}
