/** Module URLs of OpenTelemetry (`@opentelemetry/*`) or of the module-hooking machinery that comes with it. */
export function openTelemetryModules(urls: readonly string[]): string[] {
  return urls.filter((url) =>
    /[/\\](@opentelemetry[/\\]|import-in-the-middle[/\\]|require-in-the-middle[/\\])/.test(url),
  );
}

/**
 * Throws unless the uninstrumented demo's modules (`urls`) include none of OpenTelemetry's: otherwise the baseline
 * pays for loading instrumentation and every overhead the benchmark reports would be understated.
 */
export function assertNoOpenTelemetry(urls: readonly string[]): void {
  if (urls.length === 0) throw new Error('the module audit recorded no module at all');
  const found = openTelemetryModules(urls);
  if (found.length > 0) {
    throw new Error(
      `the uninstrumented demo loaded ${found.length} OpenTelemetry modules, so it is no baseline:\n  ${found.slice(0, 10).join('\n  ')}`,
    );
  }
}
