import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getEnv } from "../config/env";
import { getPrisma } from "../db/client";
import { scopedLogger } from "../log";
import { signInWithPassword } from "./password-sign-in";
import { SLACK_PROVIDER_ID, slackSignInProvider } from "./slack-provider";
import { signInWithSlack } from "./slack-sign-in";

const log = scopedLogger("auth");

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().email(), password: z.string().min(1).max(512) });

/**
 * next-auth options: JWT sessions holding only the user id, so that every request reads the user
 * (and a disabled user or a changed role takes effect at once). Email and password for the owner and
 * invited users; Sign in with Slack where a Slack app is configured.
 */
export function getAuthOptions(): NextAuthOptions {
  const slack = slackSignInProvider();
  return {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const result = await signInWithPassword({ prisma: getPrisma(), ...parsed.data });
          if (!result.ok) {
            // next-auth puts a thrown error's message on /sign-in as ?error=…; null becomes CredentialsSignin.
            if (result.reason === "AccountDisabled") throw new Error(result.reason);
            return null;
          }
          return { id: result.user.id, email: result.user.email, name: result.user.name };
        },
      }),
      ...(slack ? [slack] : []),
    ],
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== SLACK_PROVIDER_ID) return true;
        const result = await signInWithSlack({ prisma: getPrisma(), claims: profile });
        return result.ok ? true : `${getEnv().nextAuthUrl}/sign-in?error=${result.reason}`;
      },
      async jwt({ token, user, account }) {
        if (!user) return token;
        if (account?.provider !== SLACK_PROVIDER_ID) {
          token.uid = user.id;
          return token;
        }
        // For Slack, user.id is Slack's subject. signIn above made sure a web user with this
        // (verified, lowercased) email exists and is enabled.
        const webUser = user.email ? await getPrisma().user.findUnique({ where: { email: user.email }, select: { id: true } }) : null;
        if (!webUser) throw new Error("Sign in with Slack finished without a Switchboard user");
        token.uid = webUser.id;
        return token;
      },
      async session({ session, token }) {
        return { ...session, userId: typeof token.uid === "string" ? token.uid : undefined };
      },
    },
    logger: {
      error: (code, metadata) => log.error({ code, ...loggableMetadata(metadata) }, "next-auth error"),
      warn: (code) => log.warn({ code }, "next-auth warning"),
      debug: () => undefined,
    },
  };
}

/**
 * next-auth passes an Error, or an object holding one under `error`; pino serializes errors only
 * under `err`, so they are moved there. Other fields (provider id, error_description) are kept.
 */
function loggableMetadata(metadata: unknown): Record<string, unknown> {
  if (metadata instanceof Error) return { err: metadata };
  if (!metadata || typeof metadata !== "object") return { metadata };
  const { error, ...rest } = metadata as Record<string, unknown>;
  return error instanceof Error ? { err: error, ...rest } : { ...rest, ...(error === undefined ? {} : { error }) };
}
