/**
 * The DigitalOcean API v2 fake: a protocol front-end over the shared simulator, validated against
 * DigitalOcean's official OpenAPI document.
 */
export { startDigitalOceanFake } from './server.js';
export type { DigitalOceanFake, DigitalOceanFakeOptions, ScriptedAnswer } from './server.js';
export { DIGITALOCEAN_CATALOG } from './catalog.js';
