import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The cookie a browser gets after opening the dashboard once with `?token=`. */
export const TOKEN_COOKIE = 'ccmon_token';

export type AuthResult =
  | { kind: 'allowed' }
  | { kind: 'denied'; reason: string }
  /** A page opened with the right `?token=`: keep it in a cookie and drop it from the address bar. */
  | { kind: 'remember'; location: string; cookie: string };

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Scripts send `Authorization: Bearer <token>`. A browser cannot add that
 * header to page loads or EventSource, so a page opened as `/?token=<token>`
 * sets an HttpOnly, SameSite=Strict cookie that later requests carry.
 */
export function authorize(req: IncomingMessage, url: URL, token: string): AuthResult {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (m?.[1] && sameSecret(m[1], token)) return { kind: 'allowed' };
    return { kind: 'denied', reason: 'the bearer token is wrong' };
  }
  const fromCookie = cookieToken(req.headers.cookie);
  if (fromCookie !== undefined && sameSecret(fromCookie, token)) return { kind: 'allowed' };
  const fromQuery = url.searchParams.get('token');
  if (
    fromQuery !== null &&
    (req.method === 'GET' || req.method === 'HEAD') &&
    !url.pathname.startsWith('/api/')
  ) {
    if (!sameSecret(fromQuery, token))
      return { kind: 'denied', reason: 'the token in the address is wrong' };
    const rest = new URLSearchParams(url.searchParams);
    rest.delete('token');
    const query = rest.toString();
    return {
      kind: 'remember',
      location: `${url.pathname}${query ? `?${query}` : ''}`,
      cookie: `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
    };
  }
  return {
    kind: 'denied',
    reason:
      'this server needs a token: send "Authorization: Bearer <token>", or open the dashboard once as /?token=<token>',
  };
}
