export declare const CREATE_FLOOR_TABLE_SQL: string;
export declare const INSERT_FLOOR_EVENT_SQL: { name: string; text: string };
export declare function isSlackRequestValid(signingSecret: string, timestampHeader: string | null | undefined, signatureHeader: string | null | undefined, rawBody: Buffer): boolean;
export declare function isPagerDutyRequestValid(secret: string, signatureHeader: string | null | undefined, rawBody: Buffer): boolean;
export declare function slackTriggerId(rawText: string): string | null;
export declare function pagerDutyEventId(rawText: string): string | null;
