import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { sendError } from './http-responses.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

interface Asset {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
  etag: string;
  cacheControl: string;
}

/**
 * Where `vite build` puts the dashboard: `dist/web/` beside the compiled
 * server (`dist/views/web/` -> `dist/web/`), or, running from `src/`, the
 * package's `dist/web/`.
 */
export function defaultAssetsDir(): string {
  const candidates = ['../../web/', '../../../dist/web/'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? (candidates[0] as string);
}

/** Vite names built files `name-<hash>.ext` under assets/: they never change, so cache them for a year. */
function cacheControlOf(path: string): string {
  if (path.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  if (path.endsWith('.html')) return 'no-cache';
  return 'public, max-age=3600';
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * Serves the built dashboard from memory. Only files found in the build
 * folder are served, looked up by exact path, so no request can reach
 * outside it. The folder is read again when a path is missing (a rebuild).
 */
export class StaticAssets {
  private assets = new Map<string, Asset>();
  private loadedAt = 0;

  /**
   * `pageLinks` gives the page's `Link` header (e.g. preloads of what its
   * script will fetch), from the address it was asked for.
   */
  constructor(
    private readonly dir: string,
    private readonly pageLinks?: (url: URL) => string,
  ) {}

  private load(): void {
    this.loadedAt = Date.now();
    const assets = new Map<string, Asset>();
    if (!existsSync(this.dir) || !statSync(this.dir).isDirectory()) {
      this.assets = assets;
      return;
    }
    for (const file of listFiles(this.dir)) {
      const path = `/${relative(this.dir, file).split(sep).join('/')}`;
      const type = CONTENT_TYPES[extname(file).toLowerCase()];
      if (!type) continue;
      const body = readFileSync(file);
      const compressible =
        /^(text\/|application\/json|image\/svg)/.test(type) && body.length > 1024;
      assets.set(path, {
        body,
        gzip: compressible ? gzipSync(body) : undefined,
        type,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
        cacheControl: cacheControlOf(path),
      });
    }
    this.assets = assets;
  }

  private find(path: string): Asset | undefined {
    if (this.loadedAt === 0) this.load();
    let asset = this.assets.get(path);
    if (!asset && Date.now() - this.loadedAt > 1000) {
      this.load();
      asset = this.assets.get(path);
    }
    return asset;
  }

  handle(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const asset = this.find(path);
    if (!asset) {
      if (path === '/index.html') {
        sendError(
          res,
          503,
          `the dashboard is not built: no ${join(this.dir, 'index.html')}; run "npm run build"`,
        );
      } else {
        sendError(res, 404, `no such page: ${url.pathname}`);
      }
      return;
    }
    const headers: Record<string, string | number> = {
      'Content-Type': asset.type,
      'Cache-Control': asset.cacheControl,
      ETag: asset.etag,
      Vary: 'Accept-Encoding',
    };
    if (path === '/index.html' && this.pageLinks) headers.Link = this.pageLinks(url);
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const zipped = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
      ? asset.gzip
      : undefined;
    const body = zipped ?? asset.body;
    if (zipped) headers['Content-Encoding'] = 'gzip';
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(body);
  }
}
