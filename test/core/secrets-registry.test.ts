/**
 * The secret registry is bounded: credentials and generated secrets (a root password per node)
 * are kept apart, each up to its limit, least recently registered forgotten first.
 */
import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { SECRET_REGISTRY_LIMITS, Secret, redactSecrets, registerSecret, registeredSecretCounts } from '../../src/core/secrets.js';
import { generatedPassword } from '../../src/core/launch-spec.js';

const unique = (prefix: string, index: number) => `${prefix}-${index.toString(36).padStart(8, '0')}-secret`;

describe('the secret registry', () => {
  it('stays within its limit per kind and forgets the least recently registered first', () => {
    const credential = unique('driver-key', 0);
    registerSecret(credential);
    const first = generatedPassword(unique('root-a', 0));
    const passwords = Array.from({ length: SECRET_REGISTRY_LIMITS.generated + 50 }, (_, index) =>
      generatedPassword(unique('root-b', index)),
    );
    const counts = registeredSecretCounts();
    expect(counts.generated).toBe(SECRET_REGISTRY_LIMITS.generated);
    expect(counts.credentials).toBeLessThanOrEqual(SECRET_REGISTRY_LIMITS.credentials);
    // Thousands of generated passwords never push a credential out.
    expect(redactSecrets(`key ${credential}`)).toBe('key [redacted]');
    // The newest generated ones are scrubbed; the oldest was forgotten (its Secret still hides it).
    const newest = passwords.at(-1)?.reveal() ?? '';
    expect(redactSecrets(`pw ${newest}`)).toBe('pw [redacted]');
    expect(redactSecrets(`pw ${first.reveal()}`)).toBe(`pw ${first.reveal()}`);
    expect(String(first)).toBe('[redacted]');
    expect(JSON.stringify({ first })).toBe('{"first":"[redacted]"}');
    expect(inspect(first)).not.toContain(first.reveal());
  });

  it('keeps a credential registered again as the most recent', () => {
    const kept = unique('token-kept', 1);
    registerSecret(kept);
    for (let index = 0; index < SECRET_REGISTRY_LIMITS.credentials - 1; index += 1) {
      registerSecret(unique('token-other', index));
      // Refreshed every so often, as a driver re-registers a token it refreshed.
      if (index % 100 === 0) registerSecret(kept);
    }
    registerSecret(unique('token-last', 2));
    expect(registeredSecretCounts().credentials).toBe(SECRET_REGISTRY_LIMITS.credentials);
    expect(redactSecrets(kept)).toBe('[redacted]');
    expect(redactSecrets(unique('token-other', 0))).toBe(unique('token-other', 0));
  });

  it('ignores values too short to scrub safely', () => {
    const before = registeredSecretCounts();
    registerSecret('abc');
    new Secret('xyz');
    expect(registeredSecretCounts()).toEqual(before);
  });
});
