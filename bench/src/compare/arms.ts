import { Variant } from '../results-schema.js';

/** One side of an A/B comparison: a variant of the demo plus environment on top of the variant's own. */
export interface Arm {
  name: string;
  variant: Variant;
  env: Record<string, string>;
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Parses `name=variant[,KEY=value...]`, e.g. `nolog=otelkit,OTELKIT_REQUEST_LOG=false`. A comma inside a value is
 * written `\,` (`OTEL_NODE_ENABLED_INSTRUMENTATIONS=http\,express`). Throws a message naming the bad part.
 */
export function parseArm(spec: string): Arm {
  const [head = '', ...assignments] = spec.split(/(?<!\\),/).map((part) => part.replaceAll('\\,', ','));
  const eq = head.indexOf('=');
  if (eq <= 0) throw new Error(`--arm ${spec}: expected name=variant[,KEY=value...]`);
  const name = head.slice(0, eq);
  const variant = Variant.safeParse(head.slice(eq + 1));
  if (!variant.success) {
    throw new Error(`--arm ${spec}: unknown variant "${head.slice(eq + 1)}" (one of ${Variant.options.join(', ')})`);
  }
  let env: Record<string, string>;
  try {
    env = parseEnvAssignments(assignments);
  } catch (error) {
    throw new Error(`--arm ${spec}: ${(error as Error).message}`);
  }
  return { name, variant: variant.data, env };
}

/** `KEY=value` strings as an environment; throws naming the first that is not one. */
export function parseEnvAssignments(assignments: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const assignment of assignments) {
    const at = assignment.indexOf('=');
    const key = assignment.slice(0, Math.max(at, 0));
    if (at <= 0 || !ENV_NAME.test(key)) throw new Error(`"${assignment}" is not KEY=value`);
    env[key] = assignment.slice(at + 1);
  }
  return env;
}

/** Every arm parsed; names must be unique so the table can tell them apart. */
export function parseArms(specs: readonly string[]): Arm[] {
  if (specs.length < 2) throw new Error('give at least two --arm to compare');
  const arms = specs.map(parseArm);
  const names = arms.map((a) => a.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) throw new Error(`--arm name "${repeated}" is used twice`);
  return arms;
}
