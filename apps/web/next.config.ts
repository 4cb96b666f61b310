import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

// scripts/package builds the console as a standalone server (a folder with server.js and only
// the modules it uses) into its own directory; `next dev` and `next start` keep the usual build.
const standalone: NextConfig =
  process.env.TCPRT_NEXT_STANDALONE === '1'
    ? {
        output: 'standalone',
        distDir: '.next-standalone',
        // The monorepo root: the traced files include the workspace's @tcprt/schema.
        outputFileTracingRoot: fileURLToPath(new URL('../..', import.meta.url)),
      }
    : {};

// The agent URL is read at request time by the proxy routes (src/app/trpc, src/app/api),
// not here: a rewrite would bake it into the build.
const nextConfig: NextConfig = {
  transpilePackages: ['@tcprt/schema'],
  reactStrictMode: true,
  poweredByHeader: false,
  ...standalone,
};

export default nextConfig;
