import type { NextConfig } from 'next';

// The agent URL is read at request time by the proxy routes (src/app/trpc, src/app/api),
// not here: a rewrite would bake it into the build.
const nextConfig: NextConfig = {
  transpilePackages: ['@tcprt/schema'],
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
