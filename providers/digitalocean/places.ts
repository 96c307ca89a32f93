/**
 * DigitalOcean's catalog checks before SSH keys are registered: the region, the size (offered in
 * that region) and the image (slug or id, public or the account's own) must exist.
 *
 * @module
 */
import { checkPlacesIn, type CheckPlaces, type PlaceList } from '../../src/kit.js';
import type { DoImage, DoRegion, DoSize } from './api.js';
import { checkDoImage, checkDoRegion, checkDoSize } from './schemas.js';

const REGIONS: PlaceList = {
  field: 'location',
  path: '/v2/regions',
  key: 'regions',
  validate: checkDoRegion,
  matches: (entry, id) => (entry as DoRegion).slug === id,
  expected: 'a DigitalOcean region slug',
};

const IMAGES: PlaceList = {
  field: 'image',
  path: '/v2/images',
  key: 'images',
  validate: checkDoImage,
  matches: (entry, id) => (entry as DoImage).slug === id || String((entry as DoImage).id) === id,
  expected: 'a DigitalOcean image slug or id',
};

/** The size list, for a size offered in `location`. */
function sizesIn(location: string): PlaceList {
  return {
    field: 'size',
    path: '/v2/sizes',
    key: 'sizes',
    validate: checkDoSize,
    matches: (entry, id) => (entry as DoSize).slug === id && (entry as DoSize).regions.includes(location),
    expected: `a DigitalOcean size slug offered in ${location}`,
  };
}

/** `RestDriverSpec.checkPlaces` for DigitalOcean. */
export const checkDoPlaces: CheckPlaces = (request, runtime, context) =>
  checkPlacesIn(runtime, context, [
    [REGIONS, request.locationId],
    [sizesIn(request.locationId), request.sizeId],
    [IMAGES, request.imageId],
  ]);
