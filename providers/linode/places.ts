/**
 * Linode's catalog checks before the create's SSH keys are registered on the profile: the region,
 * the type and the image (public or the account's own) must exist.
 *
 * @module
 */
import { checkPlacesIn, type CheckPlaces, type PlaceList } from '../../src/kit.js';
import { fromImageId } from './map.js';
import { checkLinodeImage, checkLinodeRegion, checkLinodeType } from './schemas.js';

const byId = (entry: unknown, id: string) => (entry as { id?: unknown }).id === id;

const REGIONS: PlaceList = {
  field: 'location',
  path: '/regions',
  key: 'data',
  pageSize: false,
  validate: checkLinodeRegion,
  matches: byId,
  expected: 'a Linode region id',
};
const TYPES: PlaceList = {
  field: 'size',
  path: '/linode/types',
  key: 'data',
  pageSize: false,
  validate: checkLinodeType,
  matches: byId,
  expected: 'a Linode type id',
};
const IMAGES: PlaceList = {
  field: 'image',
  path: '/images',
  key: 'data',
  pageSize: false,
  validate: checkLinodeImage,
  matches: (entry, id) => byId(entry, fromImageId(id)),
  expected: 'a Linode image id',
};

/** `RestDriverSpec.checkPlaces` for Linode. */
export const checkLinodePlaces: CheckPlaces = (request, runtime, context) =>
  checkPlacesIn(runtime, context, [
    [REGIONS, request.locationId],
    [TYPES, request.sizeId],
    [IMAGES, request.imageId],
  ]);
