/**
 * Hetzner's catalog checks before SSH keys are registered: the location, the server type (sold in
 * that location) and the image (id or name) must exist.
 *
 * @module
 */
import { checkPlacesIn, type CheckPlaces, type PlaceList } from '../../src/kit.js';
import type { HetznerImage, HetznerLocation, HetznerServerType } from './api.js';
import { checkHetznerImage, checkHetznerLocation, checkHetznerServerType } from './schemas.js';

const LOCATIONS: PlaceList = {
  field: 'location',
  path: '/locations',
  key: 'locations',
  validate: checkHetznerLocation,
  matches: (entry, id) => (entry as HetznerLocation).name === id,
  expected: 'a Hetzner location name',
};

const IMAGES: PlaceList = {
  field: 'image',
  path: '/images',
  key: 'images',
  validate: checkHetznerImage,
  matches: (entry, id) => String((entry as HetznerImage).id) === id || (entry as HetznerImage).name === id,
  expected: 'a Hetzner image id or name',
};

function serverTypesIn(location: string): PlaceList {
  return {
    field: 'size',
    path: '/server_types',
    key: 'server_types',
    validate: checkHetznerServerType,
    matches: (entry, id) =>
      (entry as HetznerServerType).name === id && (entry as HetznerServerType).prices.some((price) => price.location === location),
    expected: `a Hetzner server type sold in ${location}`,
  };
}

/** `RestDriverSpec.checkPlaces` for Hetzner. */
export const checkHetznerPlaces: CheckPlaces = (request, runtime, context) =>
  checkPlacesIn(runtime, context, [
    [LOCATIONS, request.locationId],
    [serverTypesIn(request.locationId), request.sizeId],
    [IMAGES, request.imageId],
  ]);
