/** Resolves with the work's outcome, or with 'timeout' after `millis`; never rejects, never keeps the process up. */
export async function withTimeout(work: Promise<unknown>, millis: number): Promise<'done' | 'timeout' | Error> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), millis);
    timer.unref();
  });
  try {
    return await Promise.race([
      work.then(
        () => 'done' as const,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
