/**
 * Errors of the fake PagerDuty REST API, in PagerDuty's error body:
 * `{"error":{"message":…,"code":…,"errors":[…]}}`.
 *
 * Messages and codes follow PagerDuty's published error-code table (developer-docs
 * `docs/REST-API/14-Errors.md`). The strings in `errors` are this fake's own explanations.
 */
export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | null,
    message: string,
    readonly errors: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "FakeApiError";
  }

  toBody(): { error: { message: string; code?: number; errors: string[] } } {
    return {
      error: {
        message: this.message,
        ...(this.code === null ? {} : { code: this.code }),
        errors: this.errors,
      },
    };
  }
}

export function invalidInput(...errors: string[]): FakeApiError {
  return new FakeApiError(400, 2001, "Invalid Input Provided", errors);
}

export function argumentsCausedError(...errors: string[]): FakeApiError {
  return new FakeApiError(400, 2002, "Arguments Caused Error", errors);
}

export function authenticationFailed(detail: string): FakeApiError {
  return new FakeApiError(401, 2006, "Authentication failed", [detail]);
}

export function accessDenied(detail: string): FakeApiError {
  return new FakeApiError(403, 2010, "Access Denied", [detail]);
}

export function notFound(detail: string): FakeApiError {
  return new FakeApiError(404, 2100, "Not Found", [detail]);
}

/**
 * The 400 that PagerDuty returns when a write lacks the From header. Users of the real API
 * reported this message with code 2016
 * (https://github.com/quintoandar/airflow-pagerduty-plugin/issues/1, 2019).
 */
export function missingFromHeader(): FakeApiError {
  return new FakeApiError(400, 2016, 'You must specify a user\'s email address in the "From" header to perform this action', []);
}

export function requesterNotFound(email: string): FakeApiError {
  return new FakeApiError(400, 1008, "Requester User Not Found", [`No user has the email address "${email}" given in the From header`]);
}

export function incidentAlreadyResolved(incidentId: string): FakeApiError {
  return new FakeApiError(400, 1001, "Incident Already Resolved", [`Incident ${incidentId} is resolved; reopen it before changing its assignment`]);
}

export function invalidStatus(detail: string): FakeApiError {
  return new FakeApiError(400, 1003, "Invalid Status Provided", [detail]);
}

export function cannotEscalate(detail: string): FakeApiError {
  return new FakeApiError(400, 1006, "Cannot Escalate", [detail]);
}

export function assignedUserNotFound(userId: string): FakeApiError {
  return new FakeApiError(400, 1007, "Assigned To User Not Found", [`No user has the ID "${userId}"`]);
}

export function escalationPolicyNotFound(id: string): FakeApiError {
  return new FakeApiError(400, 1014, "Escalation Policy Not Found", [`No escalation policy has the ID "${id}"`]);
}

export function invalidPriority(detail: string): FakeApiError {
  return new FakeApiError(400, 1020, "Invalid Priority", [detail]);
}

/** Builds the 429 of a rate-limited call, whose body matches the example in PagerDuty's rate-limit docs. */
export function rateLimitExceeded(headers: Record<string, string>): FakeApiError {
  return new FakeApiError(429, 2020, "Rate Limit Exceeded", [], headers);
}
