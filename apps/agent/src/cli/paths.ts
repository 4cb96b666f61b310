import path from 'node:path';

/** `pnpm tcprt` runs from the repo root; resolve paths the user typed against where they typed them. */
export function resolveUserPath(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}
