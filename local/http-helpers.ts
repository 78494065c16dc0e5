// What the local bus and the local HTTP server share as HTTP servers: reading a bounded body,
// listening on a port (saying which setting to change when it is taken), closing.
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalRuntimeError } from './errors';

export async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class BodyTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`request body larger than ${maxBytes} bytes`);
  }
}

/** Listens on host:port; a port in use becomes a LocalRuntimeError that says which setting to change. */
export async function listen(server: Server, port: number, host: string, setting: string): Promise<number> {
  await new Promise<void>((done, fail) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      fail(
        error.code === 'EADDRINUSE'
          ? new LocalRuntimeError(`port ${port} on ${host} is already in use: stop what uses it or set ${setting}`)
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      done();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function close(server: Server): Promise<void> {
  const closed = new Promise<void>((done) => server.close(() => done()));
  server.closeAllConnections(); // SDK clients keep connections alive; close() alone would wait for them
  await closed;
}

// ---- PutEvents ----

/** The PutEvents request as the SDK serializes it (AWS JSON 1.1; `Time` is epoch seconds). */
