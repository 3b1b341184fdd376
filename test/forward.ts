/** Passes one HTTP request on to an upstream server and its answer back: what the test proxies share. */
import { type IncomingMessage, type ServerResponse, request } from 'node:http';

export function forward(req: IncomingMessage, res: ServerResponse, upstream: URL): void {
  const onward = request(
    { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  onward.on('error', () => res.destroy());
  req.pipe(onward);
}
