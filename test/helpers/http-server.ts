import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

/** A node:http server on 127.0.0.1 with a random port, serving routes by path; counts requests per path. */
export interface LoopbackServer {
  readonly base: string;
  readonly hits: Map<string, number>;
  route(path: string, handler: Route): string;
  close(): Promise<void>;
}

export async function startLoopbackServer(): Promise<LoopbackServer> {
  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const handler = routes.get(path);
    if (handler === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    hits,
    route(path, handler) {
      routes.set(path, handler);
      return `${base}${path}`;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves `bytes` with a Content-Length, optionally gzip-encoded for transport. */
export function serveBytes(bytes: Uint8Array, headers: Record<string, string> = {}): Route {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length), ...headers });
    response.end(bytes);
  };
}

/** Promises `bytes.length` bytes, sends the first `sent`, then destroys the connection. */
export function dropAfter(bytes: Uint8Array, sent: number): Route {
  return (_request, response) => {
    response.writeHead(200, { 'content-length': String(bytes.length) });
    response.write(bytes.subarray(0, sent), () => setTimeout(() => response.socket?.destroy(), 20));
  };
}

/** Sends headers and the first `sent` bytes, then nothing more, ever. */
export function stallAfter(bytes: Uint8Array, sent: number): Route {
  return (_request, response) => {
    response.writeHead(200, { 'content-length': String(bytes.length) });
    response.write(bytes.subarray(0, sent));
  };
}

export function status(code: number): Route {
  return (_request, response) => {
    response.writeHead(code, { 'content-type': 'text/plain' }).end(`status ${code}`);
  };
}

export function redirect(to: string, code = 302): Route {
  return (_request, response) => {
    response.writeHead(code, { location: to }).end();
  };
}

/** Fails with `code` the first `failures` times, then hands over to `then`. */
export function failFirst(failures: number, code: number, then: Route): Route {
  let count = 0;
  return (request, response) => {
    if (count++ < failures) status(code)(request, response);
    else then(request, response);
  };
}
