/**
 * Makes the local queue as durable as SQS, though the SQS emulator keeps messages in memory.
 *
 * A small proxy stands in front of the emulator, on the endpoint the handlers are given, so
 * they stay unaware of it. Every message sent is first appended to a journal in the data
 * folder and fsynced, and only then forwarded: the ingest handler answers 202 after its
 * SendMessage returns, so a visit answered 202 is on disk. When the consumer's batch deletes a
 * message, the journal marks it done. On the next start, whatever is not done is sent again.
 * A message that had in fact been counted before the stop comes back as a duplicate, and the
 * consumer drops it by its eventId: exactly once, end to end, after any stop (kill -9 or a
 * power cut included).
 *
 * The journal is newline-delimited JSON, `{"a":id,"q":queue,"b":body}` for an accepted
 * message and `{"d":id}` for a done one. It is rewritten with only the pending messages at
 * every start and whenever done lines outnumber them, so it stays about as large as the queue.
 */
import { once } from 'node:events';
import { type FileHandle, open, readFile, rename } from 'node:fs/promises';
import { type IncomingMessage, type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

interface Pending {
  queue: string;
  body: string;
}

interface Write {
  line: string;
  durable: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Lines written since the last rewrite beyond which done lines are compacted away. */
const COMPACT_AFTER_LINES = 2_000;

export class QueueJournal {
  private writes: Write[] = [];
  private pumping: Promise<void> | undefined;
  private linesSinceRewrite = 0;
  private nextId: number;

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    /** Messages accepted and not yet deleted by the consumer, by journal id. */
    readonly pending: Map<number, Pending>,
  ) {
    this.nextId = Math.max(0, ...pending.keys()) + 1;
  }

  /** Opens (or creates) `<dir>/queue-journal.ndjson` and compacts it to the pending messages. */
  static async open(dir: string): Promise<QueueJournal> {
    const file = join(dir, 'queue-journal.ndjson');
    const pending = new Map<number, Pending>();
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    for (const line of text.split('\n')) {
      let entry: { a?: number; q?: string; b?: string; d?: number };
      try {
        entry = JSON.parse(line);
      } catch {
        continue; // an empty line, or the torn last line of a write cut short by a crash
      }
      if (typeof entry.a === 'number' && typeof entry.q === 'string' && typeof entry.b === 'string')
        pending.set(entry.a, { queue: entry.q, body: entry.b });
      else if (typeof entry.d === 'number') pending.delete(entry.d);
    }
    const journal = new QueueJournal(file, await rewrite(file, pending), pending);
    return journal;
  }

  /** Journals an accepted message; resolves once it is on disk. */
  async accept(queue: string, body: string): Promise<number> {
    const id = this.nextId++;
    this.pending.set(id, { queue, body });
    await this.write(`${JSON.stringify({ a: id, q: queue, b: body })}\n`, true);
    return id;
  }

  /** Marks a message done. Not fsynced: if the mark is lost, the message is replayed and dropped as a duplicate. */
  done(id: number): void {
    if (!this.pending.delete(id)) return;
    this.write(`${JSON.stringify({ d: id })}\n`, false).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.pumping;
    await this.handle.close();
  }

  private write(line: string, durable: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.writes.push({ line, durable, resolve, reject });
      this.pumping ??= this.pump().finally(() => (this.pumping = undefined));
    });
  }

  /** Group commit: lines that arrive during a write and fsync go out together in the next one. */
  private async pump(): Promise<void> {
    while (this.writes.length > 0) {
      const batch = this.writes.splice(0);
      try {
        await this.handle.write(batch.map((w) => w.line).join(''));
        if (batch.some((w) => w.durable)) await this.handle.datasync();
        this.linesSinceRewrite += batch.length;
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error as Error);
      }
      if (this.linesSinceRewrite > COMPACT_AFTER_LINES && this.linesSinceRewrite > 2 * this.pending.size) {
        await this.handle.close();
        this.handle = await rewrite(this.file, this.pending);
        this.linesSinceRewrite = 0;
      }
    }
  }
}

/** Writes the pending messages to a new file, swaps it in atomically and returns it open for appending. */
async function rewrite(file: string, pending: Map<number, Pending>): Promise<FileHandle> {
  const temporary = `${file}.tmp`;
  const out = await open(temporary, 'w', 0o600);
  await out.write(
    [...pending].map(([id, p]) => `${JSON.stringify({ a: id, q: p.queue, b: p.body })}\n`).join(''),
  );
  await out.sync();
  await out.close();
  await rename(temporary, file);
  // The rename itself must reach the disk before the old file's content is relied on no more.
  const folder = await open(join(file, '..'), 'r');
  await folder.sync().catch(() => undefined); // some file systems refuse fsync on a folder
  await folder.close();
  return open(file, 'a', 0o600);
}

export interface DurableQueueProxy {
  /** Give this to the handlers and clients as the SQS endpoint. */
  endpoint: string;
  journal: QueueJournal;
  /** Sends the messages a previous run accepted and never finished; returns how many. */
  replay(queueUrls: string[]): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts the journalling proxy in front of an SQS endpoint that speaks the JSON protocol
 * (`X-Amz-Target: AmazonSQS.<Action>`), as the AWS SDK v3 does.
 */
export async function startDurableQueueProxy(options: {
  upstream: string;
  journalDir: string;
  host: string;
  port?: number;
}): Promise<DurableQueueProxy> {
  const journal = await QueueJournal.open(options.journalDir);
  const upstream = new URL(options.upstream);
  // Which journal entry a message is, by the emulator's MessageId, and which message a receipt deletes.
  const byMessageId = new Map<string, number>();
  const byReceipt = new Map<string, string>();
  const toReplay = new Map(journal.pending);

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const out = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          async (res) => {
            const chunks: Buffer[] = [];
            for await (const chunk of res) chunks.push(chunk as Buffer);
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) });
          },
        );
        out.once('error', reject);
        out.end(body);
      },
    );

  const finish = (messageId: string | undefined) => {
    const id = messageId === undefined ? undefined : byMessageId.get(messageId);
    if (id === undefined) return;
    byMessageId.delete(messageId!);
    journal.done(id);
  };

  async function handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const action = String(req.headers['x-amz-target'] ?? '').replace('AmazonSQS.', '');
    // biome-ignore lint/suspicious/noExplicitAny: SQS JSON requests and answers pass through untouched
    const input = action ? (JSON.parse(body.toString('utf8') || '{}') as Record<string, any>) : {};

    if (action === 'SendMessage') {
      const id = await journal.accept(queueName(input.QueueUrl), input.MessageBody);
      const answer = await forward(req, body).catch((error) => {
        journal.done(id); // not accepted: the caller sees the error and nothing is owed
        throw error;
      });
      const output = answer.status === 200 ? JSON.parse(answer.body.toString('utf8')) : undefined;
      if (output?.MessageId) byMessageId.set(output.MessageId, id);
      else journal.done(id);
      return answer;
    }
    if (action === 'SendMessageBatch') {
      const ids = new Map<string, number>();
      for (const entry of input.Entries ?? [])
        ids.set(entry.Id, await journal.accept(queueName(input.QueueUrl), entry.MessageBody));
      const answer = await forward(req, body).catch((error) => {
        for (const id of ids.values()) journal.done(id);
        throw error;
      });
      const output = answer.status === 200 ? JSON.parse(answer.body.toString('utf8')) : {};
      for (const sent of output.Successful ?? []) {
        byMessageId.set(sent.MessageId, ids.get(sent.Id)!);
        ids.delete(sent.Id);
      }
      for (const id of ids.values()) journal.done(id);
      return answer;
    }

    const answer = await forward(req, body);
    if (answer.status !== 200) return answer;
    if (action === 'ReceiveMessage') {
      const output = JSON.parse(answer.body.toString('utf8'));
      for (const m of output.Messages ?? []) byReceipt.set(m.ReceiptHandle, m.MessageId);
    } else if (action === 'DeleteMessage') {
      finish(byReceipt.get(input.ReceiptHandle));
      byReceipt.delete(input.ReceiptHandle);
    } else if (action === 'DeleteMessageBatch') {
      const output = JSON.parse(answer.body.toString('utf8'));
      const receipts = new Map<string, string>(
        (input.Entries ?? []).map((e: { Id: string; ReceiptHandle: string }) => [e.Id, e.ReceiptHandle]),
      );
      for (const deleted of output.Successful ?? []) {
        const receipt = receipts.get(deleted.Id)!;
        finish(byReceipt.get(receipt));
        byReceipt.delete(receipt);
      }
    }
    return answer;
  }

  const server: Server = createServer((req, res) => {
    handle(req).then(
      (answer) => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      },
      (error: Error) => {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.sqs#InternalError',
            message: `Local queue journal: ${error.message}`,
          }),
        );
      },
    );
  });
  server.listen(options.port ?? 0, options.host);
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // biome-ignore lint/suspicious/noExplicitAny: SQS JSON requests and answers pass through untouched
  async function sendUpstream(action: string, input: unknown): Promise<any> {
    const response = await fetch(options.upstream, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` },
      body: JSON.stringify(input),
    });
    if (!response.ok)
      throw new Error(
        `replaying the queue journal: ${action} answered ${response.status} ${await response.text()}`,
      );
    return response.json();
  }

  return {
    endpoint,
    journal,
    async replay(queueUrls) {
      const urls = new Map(queueUrls.map((url) => [queueName(url), url]));
      let sent = 0;
      for (const [id, message] of toReplay) {
        const url = urls.get(message.queue);
        if (!url) continue; // a queue this stack does not have (another prefix): kept for a stack that does
        const output = await sendUpstream('SendMessage', { QueueUrl: url, MessageBody: message.body });
        byMessageId.set(output.MessageId, id);
        toReplay.delete(id);
        sent++;
      }
      return sent;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await journal.close();
    },
  };
}

function queueName(queueUrl: unknown): string {
  return (
    String(queueUrl ?? '')
      .split('/')
      .pop() ?? ''
  );
}
