import { readFile } from "node:fs/promises";
import path from "node:path";
import YAML from "yaml";
import { configFileSchema, type ConfigFile } from "./schema";

export class ConfigFileError extends Error {
  constructor(file: string, readonly problems: string[]) {
    super(`Invalid configuration file ${file}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigFileError";
  }
}

/**
 * Reads a SWITCHBOARD_CONFIG file (YAML, or JSON, which is YAML too), replaces each `${NAME}` with
 * the environment variable NAME, and validates it. Errors name the entry and the field.
 */
export async function loadConfigFile(file: string, environment: Record<string, string | undefined> = process.env): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigFileError(file, [`cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
  return parseConfigText(text, path.basename(file), environment);
}

export function parseConfigText(text: string, file: string, environment: Record<string, string | undefined>): ConfigFile {
  let document: unknown;
  try {
    document = YAML.parse(text);
  } catch (error) {
    throw new ConfigFileError(file, [`is not valid YAML or JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (document === null || document === undefined) document = {};

  const missing: string[] = [];
  const substituted = substitute(document, [], environment, missing);
  if (missing.length > 0) throw new ConfigFileError(file, missing);

  const parsed = configFileSchema.safeParse(substituted);
  if (!parsed.success) {
    throw new ConfigFileError(
      file,
      parsed.error.issues.map((issue) => `${describePath(substituted, issue.path)}: ${issue.message}`),
    );
  }

  const problems = checkReferences(parsed.data);
  if (problems.length > 0) throw new ConfigFileError(file, problems);
  return parsed.data;
}

function substitute(value: unknown, at: PropertyKey[], environment: Record<string, string | undefined>, missing: string[]): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const replacement = environment[name];
      if (replacement === undefined || replacement === "") {
        missing.push(`${at.map(String).join(".")}: environment variable ${name} is not set`);
        return "";
      }
      return replacement;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, [...at, index], environment, missing));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, [...at, key], environment, missing)]));
  }
  return value;
}

/** The field that identifies an entry of each section, named in messages so the reader finds it. */
const IDENTIFYING_FIELD: Record<string, string> = { workspaces: "teamId", extensions: "name", userLinks: "slackUserId" };

/** "extensions[1] (name "Payments").updates[0]": the entry is named so the reader finds it. */
function describePath(document: unknown, issuePath: PropertyKey[]): string {
  if (issuePath.length === 0) return "file";
  const [section, index, ...rest] = issuePath;
  let text = String(section);
  if (typeof index === "number") {
    text += `[${index}]`;
    const entry = (document as Record<string, unknown[]>)?.[String(section)]?.[index] as Record<string, unknown> | undefined;
    const field = IDENTIFYING_FIELD[String(section)];
    const label = field ? entry?.[field] : undefined;
    if (field && typeof label === "string" && label) text += ` (${field} "${label}")`;
  } else if (index !== undefined) {
    text += `.${String(index)}`;
  }
  for (const part of rest) text += typeof part === "number" ? `[${part}]` : `.${String(part)}`;
  return text;
}

function checkReferences(config: ConfigFile): string[] {
  const problems: string[] = [];
  const seenTeams = new Set<string>();
  config.workspaces.forEach((workspace, index) => {
    if (seenTeams.has(workspace.teamId)) problems.push(`workspaces[${index}] (teamId "${workspace.teamId}"): teamId is listed twice`);
    seenTeams.add(workspace.teamId);
  });
  const seenNames = new Set<string>();
  config.extensions.forEach((extension, index) => {
    const key = `${extension.teamId}/${extension.name}`;
    if (seenNames.has(key)) problems.push(`extensions[${index}] (name "${extension.name}"): name must be unique in workspace ${extension.teamId}`);
    seenNames.add(key);
  });
  return problems;
}
