/**
 * Vultr's catalog checks before SSH keys are registered: the region, the plan (offered in that
 * region) and the operating system must exist, so a create that Vultr would refuse changes
 * nothing on the account first.
 *
 * @module
 */
import { checkPlacesIn, type CheckPlaces, type PlaceList } from '../../src/kit.js';
import type { VultrOs, VultrPlan, VultrRegion } from './api.js';
import { checkVultrOs, checkVultrPlan, checkVultrRegion } from './schemas.js';

const REGIONS: PlaceList = {
  field: 'location',
  path: '/regions',
  key: 'regions',
  validate: checkVultrRegion,
  matches: (entry, id) => (entry as VultrRegion).id === id,
  expected: 'a Vultr region id',
};

const OPERATING_SYSTEMS: PlaceList = {
  field: 'image',
  path: '/os',
  key: 'os',
  validate: checkVultrOs,
  matches: (entry, id) => String((entry as VultrOs).id) === id,
  expected: 'a Vultr operating system id',
};

/** The plan list, for a plan offered in `region`. */
function plansIn(region: string): PlaceList {
  return {
    field: 'size',
    path: '/plans',
    key: 'plans',
    validate: checkVultrPlan,
    matches: (entry, id) => (entry as VultrPlan).id === id && (entry as VultrPlan).locations.includes(region),
    expected: `a Vultr plan offered in ${region}`,
  };
}

/** `RestDriverSpec.checkPlaces` for Vultr. */
export const checkVultrPlaces: CheckPlaces = (request, runtime, context) =>
  checkPlacesIn(runtime, context, [
    [REGIONS, request.locationId],
    [plansIn(request.locationId), request.sizeId],
    [OPERATING_SYSTEMS, request.imageId],
  ]);
