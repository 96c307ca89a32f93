import { describe, expect, it } from 'vitest';
import { imageOs, mapServerState } from '../../providers/openstack/map.js';

describe('openstack mapping', () => {
  it.each([
    ['BUILD', null, 'pending'],
    ['BUILD', 'spawning', 'pending'],
    ['ACTIVE', null, 'running'],
    ['ACTIVE', 'powering-off', 'stopping'],
    ['SHUTOFF', null, 'stopped'],
    ['SHUTOFF', 'powering-on', 'pending'],
    ['REBOOT', 'reboot_started', 'rebooting'],
    ['HARD_REBOOT', 'rebooting_hard', 'rebooting'],
    ['ACTIVE', 'deleting', 'terminating'],
    ['ERROR', null, 'error'],
    ['SOMETHING_NEW', null, 'unknown'],
  ] as const)('status %s with task state %s is %s', (status, task, state) => {
    expect(mapServerState({ id: 'x', status, 'OS-EXT-STS:task_state': task }).state).toBe(state);
  });

  it('keeps the raw status and task state', () => {
    expect(mapServerState({ id: 'x', status: 'ACTIVE', 'OS-EXT-STS:task_state': 'powering-off' }).rawState).toBe('ACTIVE(powering-off)');
  });

  it('reads the OS from properties first, then from the name', () => {
    expect(imageOs({ id: 'i', name: 'whatever', os_distro: 'Ubuntu', os_version: '24.04' })).toEqual({
      family: 'ubuntu',
      version: '24.04',
    });
    expect(imageOs({ id: 'i', name: 'Debian 12 bookworm' })).toEqual({ family: 'debian', version: '12' });
    expect(imageOs({ id: 'i', name: 'my-golden-image' })).toBeUndefined();
  });
});
