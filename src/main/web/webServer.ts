/**
 * `npm run web`: serves the built renderer (out/renderer) and LabApi over a
 * WebSocket, on 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { attachWsBridge, type WsBridge } from './wsBridge';
import type { LabServer } from '../lab/labServer';
import { contentSecurityPolicy } from '../csp';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export interface WebServer {
  readonly url: string;
  readonly port: number;
  readonly bridge: WsBridge;
  close(): Promise<void>;
}

export async function startWebServer(options: { lab: LabServer; staticDir: string; port?: number }): Promise<WebServer> {
  const root = resolve(options.staticDir);
  const http: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
      const file = normalize(join(root, relative));
      if (!file.startsWith(root + sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      try {
        const info = await stat(file);
        if (!info.isFile()) throw new Error('not a file');
        const body = await readFile(file);
        res.writeHead(200, {
          'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'content-security-policy': contentSecurityPolicy,
        });
        res.end(body);
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${url.pathname}`);
      }
    })();
  });
  const bridge = attachWsBridge(http, options.lab);
  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    bridge,
    close: async () => {
      await bridge.close();
      await new Promise<void>((ok) => http.close(() => ok()));
    },
  };
}
