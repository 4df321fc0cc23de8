/** @type {import('next').NextConfig} */
const nextConfig = {
  // The same server-side choices as Switchboard's own next.config.mjs, so the floor differs only in
  // what its routes do.
  serverExternalPackages: ["pg"],
  poweredByHeader: false,
  agentRules: false,
  experimental: { agentUpgrade: false },
};

export default nextConfig;
