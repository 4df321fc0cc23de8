import { escapeMrkdwn } from "../mrkdwn";

export interface CommandReply {
  response_type: "ephemeral";
  text: string;
  blocks?: Record<string, unknown>[];
}

const COMMANDS: [string, string][] = [
  ["trigger", "Opens a form to trigger a PagerDuty incident in your name: service (in a channel with an extension, its service), title, urgency and description."],
  ["oncall [name]", "Shows who is on call now for this channel's service, or for the escalation policy or schedule you name, with times in your time zone."],
  ["unlink", "Disconnects your Slack account from your PagerDuty user. The next action you take asks you to connect again."],
  ["help", "Shows this list."],
];

/** Builds the reply to `/pd help`, and to an unknown subcommand with a first line that names it. */
export function helpReply(command: string, unknownSubcommand?: string): CommandReply {
  const intro = unknownSubcommand
    ? `Switchboard does not know \`${escapeMrkdwn(`${command} ${unknownSubcommand}`.slice(0, 100))}\`. These are the commands:`
    : "Switchboard's commands:";
  const lines = COMMANDS.map(([name, description]) => `• \`${command} ${name}\`: ${description}`);
  const footer = "Buttons and More actions… on incident messages acknowledge, resolve, add notes, escalate and run plays, as your PagerDuty user.";
  return {
    response_type: "ephemeral",
    text: [intro, ...lines, footer].join("\n"),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: [intro, ...lines].join("\n") } },
      { type: "context", elements: [{ type: "mrkdwn", text: footer }] },
    ],
  };
}
