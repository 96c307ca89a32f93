/**
 * Vultr's pure mappers: the three status fields as one state, prices (null, never 0), regions
 * newer than the facts table, operating-system names, error bodies and tags.
 */
import { describe, expect, it } from 'vitest';
import { mapInstanceState, mapOs, mapPlanPrice, mapRegion } from '../../providers/vultr/map.js';
import { parseVultrError } from '../../providers/vultr/errors.js';
import { fromVultrTags, idempotencyTag, toVultrTags } from '../../providers/vultr/tags.js';
import { VULTR_REGION_FACTS } from '../../providers/vultr/regions.js';

describe('vultr mappers', () => {
  it('reads status, power_status and server_status as one state', () => {
    const cases: [string, string, string, string][] = [
      ['pending', 'running', 'none', 'pending'],
      ['active', 'running', 'installingbooting', 'pending'],
      ['active', 'running', 'locked', 'pending'],
      ['active', 'running', 'ok', 'running'],
      ['active', 'stopped', 'ok', 'stopped'],
      ['suspended', 'stopped', 'ok', 'stopped'],
      ['resizing', 'running', 'locked', 'pending'],
      ['active', 'sleeping', 'ok', 'unknown'],
      ['frozen', 'running', 'ok', 'unknown'],
    ];
    for (const [status, power, server, state] of cases)
      expect(mapInstanceState({ status, power_status: power, server_status: server }), `${status}/${power}/${server}`).toBe(state);
  });

  it('prices a plan only with both positive figures', () => {
    expect(mapPlanPrice({ monthly_cost: 5, hourly_cost: 0.007 }, '2026-12-02')).toEqual({
      hourly: 0.007,
      monthly: 5,
      currency: 'USD',
      source: 'provider-api',
      asOf: '2026-12-02',
    });
    for (const plan of [{ monthly_cost: 5 }, { monthly_cost: 0, hourly_cost: 0 }, { monthly_cost: 5, hourly_cost: 0 }, undefined])
      expect(mapPlanPrice(plan, '2026-12-02')).toBeNull();
  });

  it('keeps what the API says of a region newer than the facts table', () => {
    expect(mapRegion({ id: 'zzz', city: 'Newtown', country: 'NZ', continent: 'Oceania' })).toEqual({
      id: 'zzz',
      name: 'Newtown',
      provider: 'vultr',
      kind: 'region',
      region: 'zzz',
      country: 'NZ',
      city: 'Newtown',
      continent: 'Oceania',
    });
    const odd = mapRegion({ id: 'qqq', city: 'Somewhere', country: 'not a code', continent: 'Australia' });
    expect(odd.country).toBe('ZZ');
    expect(odd.continent).toBeUndefined();
  });

  it('has ISO countries for every region in its table', () => {
    for (const [id, facts] of Object.entries(VULTR_REGION_FACTS)) expect(facts.country, id).toMatch(/^[A-Z]{2}$/);
  });

  it('reads the version out of an operating system’s name', () => {
    expect(mapOs({ id: 2136, name: 'Debian 12 x64 (bookworm)', arch: 'x64', family: 'debian' })?.os).toEqual({
      family: 'debian',
      version: '12',
    });
    expect(mapOs({ id: 1869, name: 'Rocky Linux 9 x64', arch: 'x64', family: 'rockylinux' })?.os).toEqual({
      family: 'rockylinux',
      version: '9',
    });
    expect(mapOs({ id: 501, name: 'Windows 2022 Standard x64', arch: 'x64', family: 'windows' })?.os?.version).toBe('2022');
    expect(mapOs({ id: 9, name: 'Arch Linux x64', arch: 'x64', family: 'archlinux' })?.os).toBeUndefined();
    expect(mapOs({ id: 7, name: 'Debian 10 i386 (buster)', arch: 'i386', family: 'debian' })?.arch).toBeUndefined();
    expect(mapOs({ id: 159, name: 'Custom', arch: 'x64', family: 'iso' })).toBeUndefined();
  });

  it('reads { error, status } bodies, naming the field or an account limit', () => {
    expect(parseVultrError({ error: 'Invalid region.', status: 400 }, 400)).toEqual({ message: 'Invalid region.', field: 'location' });
    expect(parseVultrError({ error: 'Invalid os_id.', status: 400 }, 400)).toEqual({ message: 'Invalid os_id.', field: 'image' });
    expect(parseVultrError({ error: 'Instance limit exceeded', status: 400 }, 400)?.kind).toBe('quota');
    expect(parseVultrError('<html>', 502)).toBeUndefined();
    expect(parseVultrError({ errors: ['x'] }, 400)).toBeUndefined();
  });

  it('writes tags as key:value, reads them back, and hides polycloud’s own', () => {
    expect(toVultrTags({ env: 'prod', web: '' })).toEqual(['env:prod', 'web']);
    expect(fromVultrTags(['env:prod', 'web', 'url:http://x', idempotencyTag('k'), 'polycloud-key:0123456789abcdef'])).toEqual({
      env: 'prod',
      web: '',
      url: 'http://x',
    });
  });
});
