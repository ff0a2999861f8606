/** A connection of the test's own to a PostgreSQL database, to look at or lock what the servers use. */
import pg from 'pg';

/** Connects to `url`, runs `work` and closes the connection (which ends any transaction it left open). */
export async function withPostgresClient<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
