/** Numbered schema changes, applied in order at start and recorded in schema_migrations. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'documents',
    sql: `
      CREATE TABLE docs (
        collection TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        etag TEXT NOT NULL,
        idx TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (collection, key)
      );
      CREATE INDEX docs_by_index ON docs (collection, idx, key);
    `,
  },
];
