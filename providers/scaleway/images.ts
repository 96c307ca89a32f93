/**
 * Images: Scaleway's marketplace images (`ubuntu_noble`, `debian_bookworm`, …) exist once per
 * zone and architecture as "local images", whose ids are the Instance image ids a server is
 * created from. `listImages` lists a zone's local images, named and dated by their marketplace
 * entry; `createNode` takes a local image id or a marketplace label, resolved in the node's zone
 * for the size's architecture (as scaleway-cli does).
 *
 * @module
 */
import { invalid, isNotFoundError, type DriverContext, type Image } from '../../src/kit.js';
import type { ScalewayLocalImage, ScalewayServerType } from './api.js';
import { mapLocalImage, UUID_PATTERN } from './map.js';
import { instancePath, marketplaceImages, scalewayPages, zoneRequest, type ScalewayRuntime } from './runtime.js';
import { checkLocalImage } from './schemas.js';

/** Local images of the SBS (block-storage) kind: what a new server boots from. */
const IMAGE_TYPE = 'instance_sbs';

/** A marketplace label, e.g. `ubuntu_noble`. */
export const LABEL_PATTERN = /^[a-z0-9][a-z0-9_]{0,99}$/;

async function localImages(runtime: ScalewayRuntime, context: DriverContext, zone: string, label?: string): Promise<ScalewayLocalImage[]> {
  const all: ScalewayLocalImage[] = [];
  for await (const page of scalewayPages(runtime, context, {
    path: '/marketplace/v2/local-images',
    field: 'local_images',
    zone,
    query: { zone, type: IMAGE_TYPE, ...(label ? { image_label: label } : {}) },
    pageSize: false,
    validate: checkLocalImage,
  })) {
    all.push(...(page as ScalewayLocalImage[]));
  }
  return all;
}

/** The images of one zone: its local images, named and dated by their marketplace entries. */
export async function listZoneImages(runtime: ScalewayRuntime, context: DriverContext, zone: string): Promise<Image[]> {
  const [entries, locals] = await Promise.all([marketplaceImages(runtime, context), localImages(runtime, context, zone)]);
  const byLabel = new Map(entries.map((entry) => [entry.label, entry]));
  return locals.map((local) => mapLocalImage(local, byLabel.get(local.label)));
}

/**
 * The Instance image id a create in `zone` with `sizeId` boots from: a local image id is checked
 * to exist in the zone; a marketplace label is resolved to the zone's local image for the size's
 * architecture. Anything else is an `InvalidRequestError` naming `image`, before the create.
 */
export async function resolveImage(
  runtime: ScalewayRuntime,
  context: DriverContext,
  zone: string,
  imageId: string,
  sizeId: string,
  type: ScalewayServerType,
): Promise<string> {
  const where = runtime.where(context);
  if (UUID_PATTERN.test(imageId)) {
    try {
      await zoneRequest(runtime, context, zone, { method: 'GET', path: instancePath(zone, 'images', imageId) });
      return imageId;
    } catch (error) {
      if (isNotFoundError(error)) invalid(where, 'image', `an image of zone ${zone}`, imageId);
      throw error;
    }
  }
  const candidates = await localImages(runtime, context, zone, imageId);
  const fit = candidates.find(
    (local) =>
      local.label === imageId &&
      local.zone === zone &&
      (type.arch === undefined || local.arch === type.arch) &&
      (local.compatible_commercial_types === undefined || local.compatible_commercial_types.includes(sizeId)),
  );
  if (!fit) invalid(where, 'image', `a marketplace image with a ${type.arch ?? ''} build for ${sizeId} in ${zone}`, imageId);
  return fit.id;
}
