/**
 * Linode requires a root password for every instance created from an image. When the caller
 * gives none, polycloud generates a strong one (and never shows it: it is registered as a
 * secret, so it is scrubbed from every message).
 *
 * @module
 */
import { randomInt } from 'node:crypto';

const CLASSES = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '-_.!@#%+='] as const;

/** A random 32-character password with at least six characters of each class (lower, upper, digit, symbol). */
export function generateRootPassword(): string {
  const characters: string[] = [];
  const all = CLASSES.join('');
  for (const set of CLASSES) for (let index = 0; index < 6; index++) characters.push(set[randomInt(set.length)] as string);
  while (characters.length < 32) characters.push(all[randomInt(all.length)] as string);
  for (let index = characters.length - 1; index > 0; index--) {
    const other = randomInt(index + 1);
    [characters[index], characters[other]] = [characters[other] as string, characters[index] as string];
  }
  return characters.join('');
}
