import { z } from "zod";
import { VIEW_LIMITS } from "./block-kit";

/**
 * What a modal carries in its private_metadata: where it was opened, so that the submission can
 * answer the user there, and which incident it is about.
 */
export const modalMetadataSchema = z.object({
  incidentId: z.string().max(64).optional(),
  channelId: z.string().max(64).optional(),
  /** The response_url of the button press or slash command that opened the modal. */
  responseUrl: z.string().max(1000).optional(),
});

export type ModalMetadata = z.infer<typeof modalMetadataSchema>;

/** Encodes the metadata as JSON, leaving out the response_url when the whole would exceed Slack's limit. */
export function encodeModalMetadata(metadata: ModalMetadata): string {
  const text = JSON.stringify(metadata);
  if (text.length <= VIEW_LIMITS.privateMetadata) return text;
  return JSON.stringify({ ...metadata, responseUrl: undefined });
}

/** Decodes private_metadata; an empty, malformed or foreign value gives empty metadata. */
export function decodeModalMetadata(text: string | undefined | null): ModalMetadata {
  if (!text) return {};
  try {
    const parsed = modalMetadataSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
