/**
 * One dedicated connection per backend — never a pool. The advisory lock belongs to the server
 * session, so every query of a run (lock, reads, writes) goes through the connection that holds it;
 * if that connection dies the lock is gone and so is the ability to write, which is the safe outcome.
 */
import pg from 'pg';
import { pgError, redactConnectionString } from './errors.js';

export interface ConnectionOptions {
  connectionString: string;
  /** For messages, e.g. `pg (schema phoenix, workspace default)`. */
  description: string;
  /** Called once if the server closes the connection under us (e.g. after a force-unlock). */
  onLost(reason: string): void;
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Server-side TCP keepalives: if the host running phoenix vanishes without closing its socket, the
 * server notices within about a minute and ends the session, releasing its lock. This is the lock's
 * lease; the defaults are the operating system's (often two hours).
 */
const KEEPALIVE_SETTINGS = ['tcp_keepalives_idle = 30', 'tcp_keepalives_interval = 10', 'tcp_keepalives_count = 3'];

export async function connect(options: ConnectionOptions): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: options.connectionString,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    // Shown in pg_stat_activity, next to the pid that the locks table records.
    application_name: `phoenix (pid ${process.pid})`,
  });
  // Without a listener an unexpected disconnect would crash the process with an 'error' event.
  client.on('error', (e: Error) => options.onLost(e.message));
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    const where = redactConnectionString(options.connectionString);
    throw pgError(options.description, `connect to ${where}`, e);
  }
  for (const setting of KEEPALIVE_SETTINGS) {
    // A no-op over Unix sockets; never worth failing the run for.
    await client.query(`SET ${setting}`).catch(() => undefined);
  }
  return client;
}

/** Runs `work` in a transaction, rolling back on any failure. */
export async function inTransaction<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
