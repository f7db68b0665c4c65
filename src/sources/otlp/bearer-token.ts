import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Whether an `Authorization` header value is `Bearer <token>`. Compared in
 * constant time over digests, so neither the token nor its length leaks
 * through response timing.
 */
export function hasBearerToken(header: string | undefined, token: string): boolean {
  if (header === undefined) return false;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  const given = match?.[1];
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(token));
}
