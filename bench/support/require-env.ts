/** Reads the named environment variables, exiting with a message that names any that are missing. */
export function requireEnv<Name extends string>(names: readonly Name[]): Record<Name, string> {
  const values = {} as Record<Name, string>;
  const missing: string[] = [];
  for (const name of names) {
    const value = process.env[name];
    if (value) values[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) {
    console.error(`Missing environment variables: ${missing.join(", ")}. The benchmark harness sets them when it starts this floor.`);
    process.exit(2);
  }
  return values;
}
