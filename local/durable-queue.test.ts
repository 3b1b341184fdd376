/** The local queue's journal: what is pending survives a reopen, a torn last line is ignored, and the file stays bounded. */
import { appendFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { QueueJournal } from './durable-queue.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('keeps what was accepted and not done across a reopen, and ignores a line torn by a crash', async () => {
  dir = await mkdtemp(join(tmpdir(), 'pageviews-journal-'));
  const journal = await QueueJournal.open(dir);
  const ids = await Promise.all(['a', 'b', 'c'].map((body) => journal.accept('visits', body)));
  journal.done(ids[1]!);
  await journal.close();
  await appendFile(join(dir, 'queue-journal.ndjson'), '{"a":99,"q":"visits","b":"to'); // kill -9 mid-write

  const reopened = await QueueJournal.open(dir);
  expect([...reopened.pending.values()].map((p) => p.body)).toEqual(['a', 'c']);
  // New ids never collide with the pending ones.
  expect(await reopened.accept('visits', 'd')).toBeGreaterThan(Math.max(...ids));
  await reopened.close();
});

it('stays about as large as the queue however many messages went through it', async () => {
  dir = await mkdtemp(join(tmpdir(), 'pageviews-journal-'));
  const journal = await QueueJournal.open(dir);
  for (let round = 0; round < 10; round++) {
    const ids = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => journal.accept('visits', `{"pageUrl":"https://x.test/${i}"}`)),
    );
    for (const id of ids) journal.done(id);
  }
  await journal.accept('visits', 'still queued');
  await journal.close();

  // 10,000 messages of ~60 bytes went through; what is left is well under one round's worth.
  expect((await stat(join(dir, 'queue-journal.ndjson'))).size).toBeLessThan(150_000);
  const reopened = await QueueJournal.open(dir);
  expect([...reopened.pending.values()].map((p) => p.body)).toEqual(['still queued']);
  expect((await stat(join(dir, 'queue-journal.ndjson'))).size).toBeLessThan(100);
  await reopened.close();
});
