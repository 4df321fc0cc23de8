import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Secrets that Switchboard generates once and keeps under the data directory (mode 0600), so that
 * restarts keep the same encryption key, session secret and, for the sandbox, the same tokens.
 */
export interface LocalSecrets {
  encryptionKey: string;
  nextAuthSecret: string;
  sandboxSlackSigningSecret: string;
  sandboxSlackBotToken: string;
  sandboxSlackClientId: string;
  sandboxSlackClientSecret: string;
  sandboxPagerdutyApiToken: string;
  sandboxPagerdutyWebhookSecret: string;
}

function generate(): LocalSecrets {
  const hex = (bytes: number) => randomBytes(bytes).toString("hex");
  return {
    encryptionKey: randomBytes(32).toString("base64"),
    nextAuthSecret: randomBytes(32).toString("base64url"),
    sandboxSlackSigningSecret: hex(16),
    sandboxSlackBotToken: `xoxb-sandbox-${hex(12)}`,
    sandboxSlackClientId: `1000000000.${Date.now()}`,
    sandboxSlackClientSecret: hex(16),
    sandboxPagerdutyApiToken: `u+${randomBytes(15).toString("base64url")}`,
    sandboxPagerdutyWebhookSecret: randomBytes(32).toString("base64url"),
  };
}

export async function loadLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = path.join(dataDir, "secrets.json");
  const fresh = generate();
  let stored: Partial<LocalSecrets> = {};
  try {
    stored = JSON.parse(await readFile(file, "utf8")) as Partial<LocalSecrets>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`${file} is unreadable or not JSON; move it away to generate new secrets`);
  }
  const merged = { ...fresh, ...stored };
  if (JSON.stringify(merged) !== JSON.stringify(stored)) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
  }
  return merged;
}
