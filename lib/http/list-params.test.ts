import { describe, expect, it } from "vitest";
import { listExtensionsQuerySchema } from "../extensions/schema";
import { incidentListQuerySchema } from "../incidents/list-incidents";
import { parseListParams, singleParam } from "./list-params";

describe("parseListParams", () => {
  it("keeps valid parameters", () => {
    const query = parseListParams(listExtensionsQuerySchema, { query: "checkout", sort: "service", direction: "desc", page: "3" });
    expect(query).toEqual({ query: "checkout", sort: "service", direction: "desc", page: 3, pageSize: 25 });
  });

  it("drops invalid parameters and keeps the rest", () => {
    const query = parseListParams(listExtensionsQuerySchema, { query: "checkout", sort: "colour", direction: "sideways", page: "-2" });
    expect(query.query).toBe("checkout");
    expect(query.sort).toBe("name");
    expect(query.direction).toBe("asc");
    expect(query.page).toBe(1);
  });

  it("leaves out optional filters that are invalid", () => {
    const query = parseListParams(incidentListQuerySchema, { status: "on-fire", urgency: "high", service: "P0SVC CHK" });
    expect(query.status).toBeUndefined();
    expect(query.service).toBeUndefined();
    expect(query.urgency).toBe("high");
  });
});

describe("singleParam", () => {
  it("returns the first of repeated values", () => {
    expect(singleParam({ q: ["a", "b"] }, "q")).toBe("a");
    expect(singleParam({ q: "a" }, "q")).toBe("a");
    expect(singleParam({}, "q")).toBeUndefined();
  });
});
