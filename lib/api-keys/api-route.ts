import { getPrisma } from "../db/client";
import { jsonRoute } from "../extensions/route-helpers";
import { authenticateApiKey, type ApiKeyActor } from "./authenticate";

/**
 * Runs a JSON API handler for a request with a valid bearer key whose creator may administer
 * Switchboard. Errors become {"error":{"code","message"}} with their HTTP status; a missing or
 * invalid key gets 401 with WWW-Authenticate.
 */
export async function apiKeyRoute(request: Request, handler: (actor: ApiKeyActor) => Promise<Response>): Promise<Response> {
  const response = await jsonRoute(async () => handler(await authenticateApiKey({ prisma: getPrisma(), authorization: request.headers.get("authorization") })));
  if (response.status === 401) response.headers.set("WWW-Authenticate", 'Bearer realm="switchboard"');
  return response;
}
