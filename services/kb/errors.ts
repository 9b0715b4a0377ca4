import path from 'node:path';

/** An article file that cannot be used; names the file and the field at fault. */
export class KbLoadError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`knowledge base: ${path.basename(file)}: field "${field}": ${detail}`);
    this.name = 'KbLoadError';
  }
}
