import { readFileSync } from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

// Validates fake Slack responses against Slack's official Web API spec (OpenAPI 2.0, last
// regenerated in 2021; specs/slack/slack_web_openapi_v2.json) and checks error names against the
// current method catalog (specs/slack/method_catalog/). Origins are listed in specs/README.md.
//
// Swagger 2.0 schemas are JSON Schema draft-4 with two habits of this spec's generator that Ajv
// would read differently: alternatives are written as `items: [A, B]` on a schema that is not an
// array (meaning "A or B"), and `$ref`s point into `#/definitions`. Both are converted before
// Ajv compiles the schemas.

type SchemaNode = Record<string, unknown>;

const SPEC_ID = "https://api.slack.com/specs/openapi/v2/slack_web.json";
const SPEC_FILE = new URL("./specs/slack/slack_web_openapi_v2.json", import.meta.url);
const CATALOG_DIR = new URL("./specs/slack/method_catalog/", import.meta.url);

/**
 * Places where the 2021 spec is stale. Each entry changes the spec before compiling, with the
 * reason. Everything else is checked as the spec defines it.
 */
export const STALE_IN_SPEC: readonly { where: string; change: string; reason: string }[] = [
  {
    where: "definitions.objs_message",
    change: "allow app_id",
    reason: "bot messages carry app_id today; java-slack-sdk's message shape (samples/) lists it",
  },
  {
    where: "paths./chat.update.responses.200.message.blocks",
    change: "an array of blocks instead of an object",
    reason: "Block Kit blocks are an array everywhere else in the same spec (definitions.blocks)",
  },
  {
    where: "every error response",
    change: "allow response_metadata.messages and errors (arrays of strings)",
    reason: "Slack explains invalid_blocks and invalid_arguments there; the spec's error schemas predate them",
  },
  {
    where: "every error response's error enum",
    change: "add the method's errors from the current method catalog",
    reason: "the catalog (docs.slack.dev, 2026) lists errors the 2021 spec lacks, such as invalid_blocks and team_not_found",
  },
];

/** Turns `items: [A, B]` on a non-array schema into `anyOf: [A, B]`, recursively, and makes refs absolute. */
function convertSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertSchema);
  if (typeof node !== "object" || node === null) return node;
  const schema = node as SchemaNode;
  if (typeof schema.$ref === "string") return { $ref: schema.$ref.startsWith("#") ? `${SPEC_ID}${schema.$ref}` : schema.$ref };

  const converted: SchemaNode = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "example" || key === "examples") continue;
    if (key === "properties" || key === "definitions" || key === "patternProperties") {
      converted[key] = Object.fromEntries(Object.entries(value as SchemaNode).map(([name, sub]) => [name, convertSchema(sub)]));
    } else if (typeof value === "object" && value !== null) {
      converted[key] = convertSchema(value);
    } else {
      converted[key] = value;
    }
  }
  if (Array.isArray(converted.items) && converted.type !== "array") {
    const alternatives = converted.items;
    delete converted.items;
    return { ...converted, anyOf: alternatives };
  }
  return converted;
}

/** Error names a method may return: the spec's enum plus the current catalog's list. */
function catalogErrors(method: string): string[] {
  const catalog = JSON.parse(readFileSync(new URL(`${method}.json`, CATALOG_DIR), "utf8")) as { errors?: Record<string, unknown> };
  return Object.keys(catalog.errors ?? {});
}

function catalogExists(method: string): boolean {
  try {
    readFileSync(new URL(`${method}.json`, CATALOG_DIR));
    return true;
  } catch {
    return false;
  }
}

function patchErrorSchema(schema: SchemaNode, method: string): SchemaNode {
  const properties = { ...((schema.properties as SchemaNode | undefined) ?? {}) };
  const error = properties.error as SchemaNode | undefined;
  if (error && Array.isArray(error.enum) && catalogExists(method)) {
    properties.error = { ...error, enum: [...new Set([...(error.enum as string[]), ...catalogErrors(method)])] };
  }
  properties.response_metadata ??= {
    type: "object",
    properties: { messages: { type: "array", items: { type: "string" } } },
  };
  properties.errors ??= { type: "array", items: { type: "string" } };
  return { ...schema, properties };
}

export interface SlackContract {
  /** Validates a Web API response body; returns Ajv's messages, empty when the body conforms. */
  validateResponse(method: string, body: unknown): string[];
  /** The error names the method may return: the spec's enum and the current catalog's list. */
  knownErrors(method: string): Set<string>;
}

/** Loads and converts the spec once; each method's schemas are compiled on first use. */
export function loadSlackContract(): SlackContract {
  const raw = JSON.parse(readFileSync(SPEC_FILE, "utf8")) as { definitions: SchemaNode; paths: Record<string, Record<string, SchemaNode>> };
  const definitions = convertSchema(raw.definitions) as Record<string, SchemaNode>;

  const message = definitions.objs_message as SchemaNode;
  message.properties = { ...(message.properties as SchemaNode), app_id: { $ref: `${SPEC_ID}#/definitions/defs_app_id` } };

  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, definitions });

  const cache = new Map<string, ValidateFunction>();
  const validatorFor = (method: string, ok: boolean): ValidateFunction => {
    const key = `${method}:${ok}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const operations = raw.paths[`/${method}`];
    const operation = operations ? Object.values(operations)[0] : undefined;
    const responses = operation?.responses as Record<string, { schema: SchemaNode }> | undefined;
    const response = responses?.[ok ? "200" : "default"];
    if (!response) throw new Error(`The Slack spec has no ${ok ? "success" : "error"} response for ${method}`);
    let schema = convertSchema(response.schema) as SchemaNode;
    if (!ok) schema = patchErrorSchema(schema, method);
    if (ok && method === "chat.update") {
      const properties = schema.properties as Record<string, SchemaNode>;
      const updated = properties.message as SchemaNode;
      properties.message = { ...updated, properties: { ...(updated.properties as SchemaNode), blocks: { $ref: `${SPEC_ID}#/definitions/blocks` } } };
    }
    const validate = ajv.compile(schema);
    cache.set(key, validate);
    return validate;
  };

  return {
    validateResponse(method, body) {
      const ok = typeof body === "object" && body !== null && (body as { ok?: unknown }).ok === true;
      const validate = validatorFor(method, ok);
      if (validate(body)) return [];
      return (validate.errors ?? []).map((error) => `${error.instancePath || "(root)"} ${error.message ?? "is invalid"} ${JSON.stringify(error.params)}`);
    },
    knownErrors(method) {
      const operations = raw.paths[`/${method}`];
      const operation = operations ? Object.values(operations)[0] : undefined;
      const fallback = (operation?.responses as Record<string, { schema: SchemaNode }> | undefined)?.default?.schema;
      const specErrors = ((fallback?.properties as SchemaNode | undefined)?.error as SchemaNode | undefined)?.enum;
      return new Set([...((specErrors as string[] | undefined) ?? []), ...(catalogExists(method) ? catalogErrors(method) : [])]);
    },
  };
}

/**
 * Compares a payload with a shape sample (java-slack-sdk's placeholder JSON): every field the fake
 * sends must exist in the sample with the same JSON type. Returns the differences as paths.
 * Arrays are compared through their first element, empty arrays and objects in the sample accept
 * any content, and `skip` names further paths whose content is free-form.
 */
export function shapeDifferences(actual: unknown, sample: unknown, options: { skip?: string[] } = {}, path = ""): string[] {
  if (options.skip?.includes(path)) return [];
  if (actual === null || actual === undefined) return [];
  const type = (value: unknown): string => {
    if (Array.isArray(value)) return "array";
    if (value === null) return "null";
    return typeof value;
  };
  if (sample === undefined) return [`${path || "(root)"}: not in the sample`];
  if (sample !== null && type(actual) !== type(sample)) return [`${path || "(root)"}: ${type(actual)} where the sample has ${type(sample)}`];
  if (Array.isArray(actual) && Array.isArray(sample)) {
    if (sample.length === 0) return [];
    return actual.flatMap((item, index) => shapeDifferences(item, sample[0], options, `${path}[${index}]`));
  }
  if (type(actual) === "object" && type(sample) === "object") {
    const sampleObject = sample as SchemaNode;
    // An empty object in a shape sample stands for a map with free-form keys, such as state.
    if (Object.keys(sampleObject).length === 0) return [];
    return Object.entries(actual as SchemaNode).flatMap(([key, value]) => shapeDifferences(value, sampleObject[key], options, path ? `${path}.${key}` : key));
  }
  return [];
}
