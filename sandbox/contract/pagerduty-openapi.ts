import { readFileSync } from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { fullFormats } from "ajv-formats/dist/formats";

// Validates JSON against the schemas of PagerDuty's official OpenAPI 3.0 spec of REST API v2
// (specs/pagerduty/rest_openapiv3.json; origin in specs/README.md) with Ajv.
//
// OpenAPI 3.0 schemas are not JSON Schema: `nullable: true` allows null, `$ref` ignores its
// siblings, and keywords such as `example` and `discriminator` carry no constraint. The spec is
// converted to JSON Schema draft-07 on those points before Ajv compiles it.

type SchemaNode = Record<string, unknown>;

const SPEC_ID = "https://developer.pagerduty.com/rest-openapiv3.json";
const SPEC_FILE = new URL("./specs/pagerduty/rest_openapiv3.json", import.meta.url);

/** OpenAPI keywords that only annotate; they are dropped so that Ajv's strict mode has nothing to reject. */
const ANNOTATION_KEYWORDS = new Set(["example", "examples", "discriminator", "xml", "externalDocs", "deprecated"]);

/** Formats in the spec that neither JSON Schema nor ajv-formats define; they are not checked. */
const UNCHECKED_FORMATS = ["TEXTAREA", "tzinfo", "activesupport-time-zone", "partial-time"];

/**
 * Fields that PagerDuty returns as null although the spec does not mark them nullable. The fake
 * sends null there, as PagerDuty does, so the validator allows null for exactly these fields.
 */
export const NULLABLE_IN_PRACTICE: readonly { schema: string; property: string; reason: string }[] = [
  { schema: "Incident", property: "resolved_at", reason: "the spec's description says it is null until the incident is resolved" },
  { schema: "Incident", property: "resolve_reason", reason: "the spec's own GET /incidents examples return null" },
  { schema: "Incident", property: "priority", reason: "an incident without a priority has priority null in captured PagerDuty payloads" },
  { schema: "Service", property: "last_incident_timestamp", reason: "a service that never had an incident has no timestamp" },
  { schema: "Oncall", property: "schedule", reason: "a user named directly in an escalation rule is on call without a schedule" },
  { schema: "Oncall", property: "start", reason: "an on-call without a schedule has no start" },
  { schema: "Oncall", property: "end", reason: "an on-call without a schedule has no end" },
];

/** Converts one OpenAPI 3.0 schema object, and the schemas inside it, to JSON Schema draft-07. */
function convertSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertSchema);
  if (typeof node !== "object" || node === null) return node;
  const schema = node as SchemaNode;
  if (typeof schema.$ref === "string") return { $ref: toSpecRef(schema.$ref) };

  const converted: SchemaNode = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATION_KEYWORDS.has(key) || key.startsWith("x-") || key === "nullable") continue;
    if (key === "properties" || key === "patternProperties") {
      converted[key] = Object.fromEntries(Object.entries(value as SchemaNode).map(([name, sub]) => [name, convertSchema(sub)]));
    } else if (key === "items" || key === "not" || (key === "additionalProperties" && typeof value === "object")) {
      converted[key] = convertSchema(value);
    } else if (key === "allOf" || key === "anyOf" || key === "oneOf") {
      converted[key] = (value as unknown[]).map(convertSchema);
    } else {
      converted[key] = value;
    }
  }
  return schema.nullable === true ? { anyOf: [converted, { type: "null" }] } : converted;
}

/** Makes a local reference ("#/components/…") absolute, so that it resolves from any compiled fragment. */
function toSpecRef(ref: string): string {
  return ref.startsWith("#") ? `${SPEC_ID}${ref}` : ref;
}

/** Converts every schema of the spec that responses and request bodies can reach. */
function convertSpec(spec: SchemaNode): SchemaNode {
  const components = spec.components as Record<string, Record<string, SchemaNode>>;
  const convertContent = (holder: SchemaNode | undefined) => {
    const content = holder?.content as Record<string, SchemaNode> | undefined;
    if (!content) return holder;
    const converted = Object.fromEntries(Object.entries(content).map(([mediaType, entry]) => [mediaType, { schema: convertSchema(entry.schema) }]));
    return { ...holder, content: converted };
  };

  const schemas = Object.fromEntries(Object.entries(components.schemas ?? {}).map(([name, schema]) => [name, convertSchema(schema)]));
  const responses = Object.fromEntries(Object.entries(components.responses ?? {}).map(([name, response]) => [name, convertContent(response)]));
  const requestBodies = Object.fromEntries(Object.entries(components.requestBodies ?? {}).map(([name, body]) => [name, convertContent(body)]));

  const paths: Record<string, Record<string, SchemaNode>> = {};
  for (const [path, operations] of Object.entries(spec.paths as Record<string, Record<string, SchemaNode>>)) {
    paths[path] = {};
    for (const [method, operation] of Object.entries(operations)) {
      if (typeof operation !== "object" || operation === null || !("responses" in operation)) continue;
      const operationResponses = Object.fromEntries(
        Object.entries(operation.responses as Record<string, SchemaNode>).map(([status, response]) => [
          status,
          typeof response.$ref === "string" ? { $ref: toSpecRef(response.$ref) } : convertContent(response),
        ]),
      );
      paths[path][method] = { responses: operationResponses, requestBody: convertContent(operation.requestBody as SchemaNode | undefined) };
    }
  }
  return { $id: SPEC_ID, components: { schemas, responses, requestBodies }, paths };
}

/** Allows null for one property of a component schema, wherever in its allOf parts the property is declared. */
function allowNull(schemas: Record<string, unknown>, schemaName: string, property: string): void {
  let found = false;
  const visit = (node: unknown) => {
    if (typeof node !== "object" || node === null) return;
    const schema = node as SchemaNode;
    const properties = schema.properties as SchemaNode | undefined;
    if (properties && property in properties) {
      properties[property] = { anyOf: [properties[property], { type: "null" }] };
      found = true;
    }
    for (const part of (schema.allOf as unknown[] | undefined) ?? []) visit(part);
  };
  visit(schemas[schemaName]);
  if (!found) throw new Error(`The spec's ${schemaName} schema has no property "${property}"; update NULLABLE_IN_PRACTICE`);
}

/** Escapes a path for a JSON pointer inside a URI fragment: "/incidents/{id}" → "~1incidents~1%7Bid%7D". */
function pointerSegment(segment: string): string {
  return encodeURIComponent(segment.replaceAll("~", "~0").replaceAll("/", "~1"));
}

export interface PagerDutyContract {
  /**
   * Validates a response body against the spec's schema for this operation and status code.
   * Returns Ajv's error messages; an empty list means the body conforms.
   */
  validateResponse(method: string, pathTemplate: string, status: number, body: unknown): string[];
}

/** Loads and converts the spec once; compiling a schema happens on its first use. */
export function loadPagerDutyContract(): PagerDutyContract {
  const spec = convertSpec(JSON.parse(readFileSync(SPEC_FILE, "utf8")) as SchemaNode);
  const schemas = (spec.components as { schemas: Record<string, unknown> }).schemas;
  for (const { schema, property } of NULLABLE_IN_PRACTICE) allowNull(schemas, schema, property);

  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of UNCHECKED_FORMATS) ajv.addFormat(format, true);
  // ajv-formats' "url" pattern rejects loopback and private hosts, and every URL of the sandbox
  // is on 127.0.0.1, so "url" is checked as an RFC 3986 URI instead.
  ajv.addFormat("url", fullFormats.uri);
  ajv.addSchema(spec);

  const cache = new Map<string, ValidateFunction>();
  return {
    validateResponse(method, pathTemplate, status, body) {
      const pointer = `#/paths/${pointerSegment(pathTemplate)}/${method.toLowerCase()}/responses/${status}`;
      let validate = cache.get(pointer);
      if (!validate) {
        const operations = (spec.paths as Record<string, Record<string, { responses: Record<string, SchemaNode> }>>)[pathTemplate];
        const response = operations?.[method.toLowerCase()]?.responses[String(status)];
        if (!response) throw new Error(`The spec has no ${status} response for ${method} ${pathTemplate}`);
        const schemaRef = typeof response.$ref === "string" ? `${response.$ref}/content/application~1json/schema` : `${SPEC_ID}${pointer}/content/application~1json/schema`;
        validate = ajv.compile({ $ref: schemaRef });
        cache.set(pointer, validate);
      }
      if (validate(body)) return [];
      return (validate.errors ?? []).map((error) => `${error.instancePath || "(root)"} ${error.message ?? "is invalid"} ${JSON.stringify(error.params)}`);
    },
  };
}
