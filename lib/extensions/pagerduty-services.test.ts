import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/support/database";

// The service picker's list against a small PagerDuty-shaped server over HTTP that has 250
// services and pages them PagerDuty's way (limit, offset, more), one page shorter than asked.

const SERVICE_COUNT = 250;
const TOKEN = "services-test-token";
let database: TestDatabase;
let server: Server;
const requests: { offset: number; limit: number }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const services = Array.from({ length: SERVICE_COUNT }, (_, index) => ({ id: `PSVC${String(index).padStart(4, "0")}`, type: "service", name: `Service ${String(index).padStart(3, "0")}` }));
  server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (request.headers.authorization !== `Token token=${TOKEN}` || url.pathname !== "/services") {
      response.writeHead(401, { "Content-Type": "application/json" }).end(JSON.stringify({ error: { code: 2006, message: "Authentication failed" } }));
      return;
    }
    const offset = Number(url.searchParams.get("offset") ?? 0);
    const limit = Number(url.searchParams.get("limit") ?? 25);
    requests.push({ offset, limit });
    // The second page is shorter than the limit while more remain, as PagerDuty's pages may be.
    const size = offset === limit ? 7 : limit;
    const page = services.slice(offset, offset + size);
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ services: page, limit, offset, more: offset + page.length < services.length, total: null }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.DATABASE_URL = database.url;
  process.env.PAGERDUTY_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.PAGERDUTY_API_TOKEN = TOKEN;
  process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
});

afterAll(async () => {
  const { closeDatabaseClients } = await import("@/lib/db/client");
  await closeDatabaseClients();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await database.drop();
});

describe("PagerDuty service list", () => {
  it("follows pagination to the last service", async () => {
    const { listAllPagerDutyServices } = await import("./pagerduty-services");
    const services = await listAllPagerDutyServices({ refresh: true });
    expect(services).toHaveLength(SERVICE_COUNT);
    expect(new Set(services.map((service) => service.id)).size).toBe(SERVICE_COUNT);
    expect(services[0]).toEqual({ id: "PSVC0000", name: "Service 000" });
    expect(services.at(-1)).toEqual({ id: "PSVC0249", name: "Service 249" });
    expect(requests.map((request) => request.offset)).toEqual([0, 100, 107, 207]);
  });

  it("searches the cached list without asking PagerDuty again", async () => {
    const { searchPagerDutyServices } = await import("./pagerduty-services");
    const before = requests.length;
    const result = await searchPagerDutyServices({ query: "service 24", limit: 5 });
    expect(result.total).toBe(10);
    expect(result.services.map((service) => service.name)).toEqual(["Service 240", "Service 241", "Service 242", "Service 243", "Service 244"]);
    expect(requests.length).toBe(before);
  });
});
