/** The local API server's own edges: clients that hang up mid-request are a debug line, not a stack trace. */
import { type Server, createServer } from 'node:http';
import { type AddressInfo, type Socket, connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiListener } from './api-server.js';

let server: Server | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('a client that hangs up before its answer', () => {
  it('is one debug line each, with nothing on the console, for 200 half-open requests reset at once', async () => {
    const debugLines: string[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const handler = async () => ({ statusCode: 202, headers: {}, body: '{}' });
    server = createServer(
      createApiListener({
        ingest: handler,
        query: handler,
        queryOrigins: [],
        debug: (l) => debugLines.push(l),
      }),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    // Each sends its headers and part of the body it announced, then waits.
    const sockets: Socket[] = await Promise.all(
      Array.from(
        { length: 200 },
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => {
              socket.write('POST /visits HTTP/1.1\r\nHost: local\r\nContent-Length: 100\r\n\r\n{"key":');
              resolve(socket);
            });
            socket.on('error', () => undefined);
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const socket of sockets) socket.resetAndDestroy();

    await vi.waitFor(() => expect(debugLines).toHaveLength(200), { timeout: 5_000 });
    expect(debugLines[0]).toMatch(/^api: the client closed POST \/visits before its answer \(ECONNRESET\)$/);
    expect(errors).not.toHaveBeenCalled();
  });
});
