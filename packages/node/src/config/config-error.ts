/** One invalid setting: where it came from (an environment variable or an option path) and why. */
export interface ConfigProblem {
  /** `OTEL_TRACES_SAMPLER`, or `options.traces.sampler` for a programmatic option. */
  readonly source: string;
  readonly value: unknown;
  /** What is accepted, for example `one of always_on, always_off` or `a number between 0 and 1`. */
  readonly expected: string;
}

/** Thrown by `start()` before anything is started when the configuration is invalid. Lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      `otelkit: invalid configuration:\n${problems
        .map((p) => `  - ${p.source}=${JSON.stringify(p.value)}: expected ${p.expected}`)
        .join('\n')}`,
    );
    this.problems = problems;
  }
}
