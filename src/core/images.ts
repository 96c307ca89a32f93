/**
 * The core's pass over what a driver's `listImages` returned: only images matching the query,
 * in one order for every provider. A driver may push the query to its provider; this makes a
 * loose provider-side filter harmless and the order the same everywhere.
 *
 * @module
 */
import type { Image, ImageQuery } from './types.js';

/**
 * Whether `image` matches `query`: OS family (case-insensitive), OS version, architecture, and
 * location — an image with no location is usable everywhere; a regional image matches its region
 * and the zones in it (whose ids start with the region's).
 */
export function imageMatches(image: Image, query: ImageQuery): boolean {
  if (query.os !== undefined && image.os?.family.toLowerCase() !== query.os.toLowerCase()) return false;
  if (query.version !== undefined && image.os?.version !== query.version) return false;
  if (query.arch !== undefined && image.arch !== query.arch) return false;
  if (query.location !== undefined && image.location !== undefined) {
    if (image.location !== query.location && !query.location.startsWith(image.location)) return false;
  }
  return true;
}

/** Architectures in listing order: the most common first, unknown last. */
const ARCH_ORDER: readonly (string | undefined)[] = ['x86_64', 'arm64', undefined];

/**
 * The order `listImages` returns images in, on every driver: by OS family (A→Z, images without
 * an OS last), newest OS version first, `x86_64` before `arm64`, newest image first, then by id.
 * (Callers that take the first match without naming an architecture get the common one.)
 */
export function compareImages(a: Image, b: Image): number {
  if (!a.os !== !b.os) return a.os ? -1 : 1;
  return (
    (a.os?.family ?? '').localeCompare(b.os?.family ?? '') ||
    (b.os?.version ?? '').localeCompare(a.os?.version ?? '', undefined, { numeric: true }) ||
    ARCH_ORDER.indexOf(a.arch) - ARCH_ORDER.indexOf(b.arch) ||
    (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) ||
    a.id.localeCompare(b.id)
  );
}

/** `images` filtered by `query` and sorted by {@link compareImages}. */
export function filterAndSortImages(images: readonly Image[], query: ImageQuery): Image[] {
  return images.filter((image) => imageMatches(image, query)).sort(compareImages);
}
