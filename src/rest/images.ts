/**
 * Image selection for REST drivers: the query's OS family, version and architecture, newest first.
 *
 * @module
 */
import type { Image, ImageQuery } from '../core/types.js';

/**
 * Images matching the query's OS family, version and architecture, newest first (images without
 * a creation date last).
 */
export function selectImages(images: readonly Image[], query: ImageQuery): Image[] {
  const family = query.os?.toLowerCase();
  return images
    .filter((image) => family === undefined || image.os?.family === family)
    .filter((image) => query.version === undefined || image.os?.version === query.version)
    .filter((image) => query.arch === undefined || image.arch === query.arch)
    .map((image, index) => ({ image, index, at: image.createdAt?.getTime() ?? Number.NEGATIVE_INFINITY }))
    .sort((a, b) => (a.at === b.at ? a.index - b.index : b.at - a.at))
    .map(({ image }) => image);
}
