import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getPrisma } from "../db/client";
import { scopedLogger } from "../log";
import { verifyPassword } from "./password";
import { refreshPagerDutyRole } from "./refresh-role";
import { slackSignInProvider } from "./slack-provider";

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
          const prisma = getPrisma();
          const user = await prisma.user.findUnique({ where: { email: parsed.data.email } });
          if (!user?.passwordHash || user.disabledAt || !(await verifyPassword(parsed.data.password, user.passwordHash))) {
            log.info({ email: parsed.data.email }, "Sign-in with email and password failed");
            return null;
          }
          const refreshed = await refreshPagerDutyRole(prisma, user);
          await prisma.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
          return { id: refreshed.id, email: refreshed.email, name: refreshed.name };
        },
      }),
      ...(slack ? [slack] : []),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user?.id) token.uid = user.id;
        return token;
      },
      async session({ session, token }) {
        return { ...session, userId: typeof token.uid === "string" ? token.uid : undefined };
      },
    },
    logger: {
      error: (code, metadata) => log.error({ code, metadata }, "next-auth error"),
      warn: (code) => log.warn({ code }, "next-auth warning"),
      debug: () => undefined,
    },
  };
}
