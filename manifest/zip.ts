import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** A fixed timestamp, so the same inputs give a byte-identical package. */
const MTIME = new Date(Date.UTC(2025, 0, 1));

/** Writes the entries at the zip's root; the file appears only once it is complete. */
export async function writeZip(outFile: string, entries: readonly ZipEntry[]): Promise<void> {
  await fs.promises.mkdir(path.dirname(outFile), { recursive: true });
  const zip = new ZipFile();
  for (const { name, data } of entries) zip.addBuffer(data, name, { mtime: MTIME, compress: true });
  zip.end();
  const partial = `${outFile}.${process.pid}.partial`;
  try {
    await pipeline(zip.outputStream, fs.createWriteStream(partial));
    await fs.promises.rename(partial, outFile);
  } finally {
    await fs.promises.rm(partial, { force: true });
  }
}
