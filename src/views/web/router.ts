import type { IncomingMessage, ServerResponse } from 'node:http';

export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) => void | Promise<void>;

/** One path the server answers. The router knows paths, methods and who may call; nothing else. */
export interface Route {
  /** An exact path (`/metrics`), or a prefix ending in `*` (`/v1/*`, `/*`). */
  path: string;
  /** Methods served (HEAD is implied by GET); omitted: any, the handler decides. */
  methods?: readonly string[];
  /** Answered without the bearer token: /health, or receivers that check their own. */
  public?: boolean;
  handle: RouteHandler;
}

export function matches(route: Route, pathname: string): boolean {
  return route.path.endsWith('*')
    ? pathname.startsWith(route.path.slice(0, -1))
    : pathname === route.path;
}

/** The first route whose path matches, so list exact paths before catch-alls. */
export function findRoute(routes: readonly Route[], pathname: string): Route | undefined {
  return routes.find((r) => matches(r, pathname));
}

export function allowsMethod(route: Route, method: string): boolean {
  if (!route.methods) return true;
  return route.methods.includes(method) || (method === 'HEAD' && route.methods.includes('GET'));
}

export function allowHeader(route: Route): string {
  const methods = new Set(route.methods ?? []);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].join(', ');
}
