/** Reads a required environment variable once, failing loudly with its name when it is missing. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`Environment variable ${name} is required but not set`);
  return value;
}
