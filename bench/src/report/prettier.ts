import { format, resolveConfig } from 'prettier';

/** Formats generated markdown/JSON as the repository's Prettier config does, so `npm run lint` accepts it as is. */
export async function prettify(text: string, file: string): Promise<string> {
  const config = (await resolveConfig(file)) ?? {};
  return format(text, { ...config, filepath: file });
}
