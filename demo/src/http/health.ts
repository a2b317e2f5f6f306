import { HttpProblem, isDatabaseUnavailable } from './problems.js';
import type { AppDeps } from './route.js';

/** `SELECT 1` within READY_TIMEOUT_MS; a 503 problem when the database does not answer in time. */
export async function checkDatabase({ db, config }: AppDeps): Promise<void> {
  const unavailable = (detail: string) =>
    new HttpProblem('database-unavailable', detail, {
      headers: { 'Retry-After': String(config.RETRY_AFTER_SECONDS) },
    });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(unavailable(`the database did not answer within ${config.READY_TIMEOUT_MS} ms`)),
      config.READY_TIMEOUT_MS,
    );
  });
  const query = db.query('SELECT 1');
  query.catch(() => undefined); // when the timeout wins, a late failure is expected and not unhandled
  try {
    await Promise.race([query, timeout]);
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    if (isDatabaseUnavailable(error)) throw unavailable('the database is unreachable');
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
