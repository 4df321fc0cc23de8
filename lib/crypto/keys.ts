import { getEnv } from "../config/env";

/**
 * The key that encrypts secrets at rest. The launcher sets ENCRYPTION_KEY, generating one under the
 * data directory when the operator gave none, so every app process of one install shares it.
 */
export function requireEncryptionKey(): Buffer {
  const key = getEnv().encryptionKey;
  if (!key) {
    throw new Error("ENCRYPTION_KEY is not set: set it to 32 random bytes in base64 (openssl rand -base64 32)");
  }
  return key;
}
