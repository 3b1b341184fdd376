/**
 * Where the archive's files live: one small interface with a filesystem implementation (the data
 * folder of `npm start`, the bench) and an S3 one (AWS, and LocalStack's S3). The archiver, the
 * import and the engine see only this, so the same code runs on both.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface BlobStore {
  /** The bytes under `key`, undefined when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Writes `key` whole (a reader sees the old or the new file, never a part). */
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every key under `prefix`. */
  list(prefix: string): Promise<string[]>;
}

/** Files under `root`; a key is a relative path with `/`. */
export function fileBlobStore(root: string): BlobStore & { root: string } {
  const path = (key: string) => join(root, ...key.split('/'));
  return {
    root,
    async get(key) {
      try {
        return new Uint8Array(await readFile(path(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async put(key, bytes) {
      const target = path(key);
      await mkdir(dirname(target), { recursive: true });
      // Written aside and renamed: a reader (DuckDB) never sees half a file.
      const temporary = `${target}.${process.pid}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, target);
    },
    async delete(key) {
      await rm(path(key), { force: true });
    },
    async list(prefix) {
      const base = path(prefix.replace(/\/[^/]*$/, ''));
      let entries: string[];
      try {
        entries = (await readdir(base, { recursive: true, withFileTypes: true }))
          .filter((entry) => entry.isFile() && !entry.name.endsWith('.tmp'))
          .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      return entries.filter((key) => key.startsWith(prefix)).sort();
    },
  };
}

/** Objects in an S3 bucket (encrypted at rest by the bucket's settings). */
export function s3BlobStore(s3: S3Client, bucket: string): BlobStore {
  return {
    async get(key) {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await object.Body!.transformToByteArray();
      } catch (error) {
        if ((error as Error).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    async put(key, bytes) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
    async delete(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async list(prefix) {
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        ContinuationToken = page.NextContinuationToken;
      } while (ContinuationToken);
      return keys.sort();
    },
  };
}
