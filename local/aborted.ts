/**
 * A client that hangs up before its answer (a closed tab, a cancelled fetch, a load test's
 * sockets dropped at once) is ordinary traffic, not a fault of the local stack: it is a debug
 * line (`NODE_DEBUG=pageviews npm start` shows them), never a stack trace in the terminal.
 */
import type { IncomingMessage } from 'node:http';
import { debuglog } from 'node:util';

/** Node's debug channel for the local servers: silent unless NODE_DEBUG names "pageviews". */
export const debugLine: (line: string) => void = debuglog('pageviews');

const hangUpCodes = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Whether `error` is only the client going away in the middle of its request. */
export function isClientHangUp(error: unknown, req: IncomingMessage): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && hangUpCodes.has(code)) || (req.destroyed && req.readableAborted);
}

/** The debug line for a request whose client hung up. */
export function hangUpLine(server: string, req: IncomingMessage, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return `${server}: the client closed ${req.method ?? '?'} ${(req.url ?? '').slice(0, 200)} before its answer (${typeof code === 'string' ? code : 'aborted'})`;
}
