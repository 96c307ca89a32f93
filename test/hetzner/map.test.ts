/**
 * The Hetzner driver's pure parts: the status map (checked against every status in the official
 * document), prices, labels and error bodies.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_STATES } from '../../src/core/types.js';
import { parseHetznerError } from '../../providers/hetzner/errors.js';
import { IDEMPOTENCY_LABEL, checkLabels, isValidLabelKey, isValidLabelValue, labelSelector } from '../../providers/hetzner/labels.js';
import { mapServer, mapServerStatus, parsePriceAmount, priceIn, userLabels } from '../../providers/hetzner/map.js';
import type { HetznerServer } from '../../providers/hetzner/api.js';
import { hetznerFingerprint } from '../../providers/hetzner/ssh-keys.js';
import { md5Fingerprint } from '../fakes/hetzner/index.js';
import { openApiDocumentPath } from '../fakes/openapi.js';

/** The server status enum of the official document. */
function documentedStatuses(): string[] {
  const document = JSON.parse(readFileSync(openApiDocumentPath('hetzner'), 'utf8')) as {
    paths: Record<
      string,
      {
        get: {
          responses: {
            200: {
              content: { 'application/json': { schema: { properties: { server: { properties: { status: { enum: string[] } } } } } } };
            };
          };
        };
      }
    >;
  };
  return document.paths['/servers/{id}']!.get.responses[200].content['application/json'].schema.properties.server.properties.status.enum;
}

describe('hetzner status map', () => {
  it('maps every status the official document lists, and only "unknown" to unknown', () => {
    const statuses = documentedStatuses();
    expect(statuses.length).toBeGreaterThanOrEqual(9);
    for (const status of statuses) {
      const state = mapServerStatus(status);
      expect(NODE_STATES).toContain(state);
      expect(state === 'unknown', `${status} -> ${state}`).toBe(status === 'unknown');
    }
    expect([mapServerStatus('off'), mapServerStatus('initializing'), mapServerStatus('deleting')]).toEqual([
      'stopped',
      'pending',
      'terminating',
    ]);
    expect(mapServerStatus('hibernating')).toBe('unknown');
  });
});

describe('hetzner prices', () => {
  const serverType = {
    prices: [
      {
        location: 'fsn1',
        price_hourly: { net: '0.0060000000', gross: '0.0071400000' },
        price_monthly: { net: '3.7900000000', gross: '4.5101000000' },
      },
      { location: 'ash', price_hourly: { net: '0', gross: '0' }, price_monthly: { net: '0', gross: '0' } },
    ],
  };

  it('parses the decimal strings into numbers, net or gross, in EUR', () => {
    expect(priceIn(serverType, 'fsn1', 'net', '2026-11-22')).toEqual({
      hourly: 0.006,
      monthly: 3.79,
      currency: 'EUR',
      source: 'provider-api',
      asOf: '2026-11-22',
    });
    expect(priceIn(serverType, 'fsn1', 'gross', '2026-11-22')).toMatchObject({ hourly: 0.00714, monthly: 4.5101 });
  });

  it('is null (never 0) where the type is not sold or the figure is unusable', () => {
    expect(priceIn(serverType, 'hel1', 'net', '2026-11-22')).toBeNull();
    expect(priceIn(serverType, 'ash', 'net', '2026-11-22')).toBeNull();
    expect([parsePriceAmount('abc'), parsePriceAmount(''), parsePriceAmount('-1'), parsePriceAmount(undefined)]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('hetzner labels', () => {
  it('follows the label rules for keys (with optional prefix) and values', () => {
    for (const key of ['env', 'example.com/team', 'a', 'A_b.c-9']) expect(isValidLabelKey(key), key).toBe(true);
    for (const key of ['', '-env', 'env-', 'x'.repeat(64), 'Example.com/team', 'a/b/c', 'bad key'])
      expect(isValidLabelKey(key), key).toBe(false);
    for (const value of ['', 'prod', 'v1.2_3-x', 'x'.repeat(63)]) expect(isValidLabelValue(value), value).toBe(true);
    for (const value of ['-x', 'x-', 'x'.repeat(64), 'a b', 'a:b']) expect(isValidLabelValue(value), value).toBe(false);
  });

  it('names the offending tag and keeps the reserved keys out', () => {
    const context = { provider: 'hetzner' as const, operation: 'createNode' };
    expect(() => checkLabels(context, 'tags', { ok: 'fine', 'hetzner.cloud/x': 'y' })).toThrow(/tags\.hetzner\.cloud\/x/);
    expect(() => checkLabels(context, 'tags', { [IDEMPOTENCY_LABEL]: 'y' })).toThrow(/reserved/);
    expect(() => checkLabels(context, 'tags', { env: 'prod', 'example.com/team': '' })).not.toThrow();
  });

  it('builds label selectors from what a label can match, and hides its own label from tags', () => {
    expect(labelSelector({ env: 'prod', team: 'web' })).toBe('env=prod,team=web');
    expect(labelSelector({ env: '', 'bad key': 'x', team: 'web' })).toBe('team=web');
    expect(labelSelector({})).toBeUndefined();
    expect(userLabels({ env: 'prod', [IDEMPOTENCY_LABEL]: 'abc' })).toEqual({ env: 'prod' });
  });
});

describe('hetzner errors and keys', () => {
  it('reads error bodies: code, kind and the field, named as the caller passed it', () => {
    const body = {
      error: {
        code: 'invalid_input',
        message: 'invalid input in field server_type',
        details: { fields: [{ name: 'server_type', messages: ['not found'] }] },
      },
    };
    expect(parseHetznerError(body)).toEqual({
      message: '"size": invalid input in field server_type not found',
      code: 'invalid_input',
      field: 'size',
      kind: 'invalid',
    });
    expect(parseHetznerError({ error: { code: 'resource_limit_exceeded', message: 'server limit reached' } })).toMatchObject({
      kind: 'quota',
    });
    expect(parseHetznerError({ error: { code: 'something_new', message: 'x' } })).toEqual({ message: 'x', code: 'something_new' });
    expect(parseHetznerError('<html>bad gateway</html>')).toBeUndefined();
    expect(parseHetznerError({ errors: [] })).toBeUndefined();
  });

  it('fingerprints public keys the way the API does (the fake computes it independently)', () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx4b3JlbS1pcHN1bS1kb2xvci1zaXQtYW1ldC0x alice@example';
    expect(hetznerFingerprint(key)).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(hetznerFingerprint(key)).toBe(md5Fingerprint(key));
  });
});

describe('hetzner server mapping', () => {
  it('maps the official document’s own example server', () => {
    const document = JSON.parse(readFileSync(openApiDocumentPath('hetzner'), 'utf8')) as {
      paths: Record<
        string,
        { post: { responses: Record<string, { content: { 'application/json': { example: { server: HetznerServer } } } }> } }
      >;
    };
    const server = document.paths['/servers']!.post.responses['201']!.content['application/json'].example.server;
    const node = mapServer(server, 'gross', '2026-11-22');
    expect(node).toMatchObject({
      id: String(server.id),
      name: server.name,
      provider: 'hetzner',
      state: 'pending',
      rawState: 'initializing',
      location: { id: 'fsn1', region: 'fsn1', country: 'DE' },
      sizeId: 'cx11',
      imageId: '4711',
      publicIps: ['1.2.3.4'],
      privateIps: ['10.0.0.2'],
      tags: { env: 'dev' },
      price: { hourly: 1.19, monthly: 1.19, currency: 'EUR', source: 'provider-api', asOf: '2026-11-22' },
    });
    expect(node.createdAt?.toISOString()).toBe(new Date(server.created).toISOString());
    expect(node.raw).toBe(server);
  });
});
