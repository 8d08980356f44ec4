// Uploaded file and avatar bytes, by the name the server chose. On disk under DATA/files and
// DATA/avatars, or in memory with `--memory`.
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FileKind } from './store.js';

export interface Blob {
  size: number;
  stream(): Readable;
}

export interface BlobStore {
  put(kind: FileKind, name: string, data: Uint8Array): Promise<void>;
  get(kind: FileKind, name: string): Promise<Blob | undefined>;
}

const folder: Record<FileKind, string> = { file: 'files', avatar: 'avatars' };

export class DiskBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async init(): Promise<void> {
    for (const kind of Object.values(folder)) await mkdir(join(this.root, kind), { recursive: true });
  }

  async put(kind: FileKind, name: string, data: Uint8Array): Promise<void> {
    // Write then rename: a crash never leaves a half-written file under a name a URL points to.
    const target = join(this.root, folder[kind], name);
    const temp = `${target}.part`;
    await writeFile(temp, data);
    await rename(temp, target);
  }

  async get(kind: FileKind, name: string): Promise<Blob | undefined> {
    const path = join(this.root, folder[kind], name);
    try {
      const info = await stat(path);
      return { size: info.size, stream: () => createReadStream(path) };
    } catch {
      return undefined;
    }
  }
}

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Uint8Array>();

  async put(kind: FileKind, name: string, data: Uint8Array): Promise<void> {
    this.blobs.set(`${kind}/${name}`, Uint8Array.from(data));
  }

  async get(kind: FileKind, name: string): Promise<Blob | undefined> {
    const data = this.blobs.get(`${kind}/${name}`);
    return data && { size: data.length, stream: () => Readable.from([Buffer.from(data)]) };
  }
}
