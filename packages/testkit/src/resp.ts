/** Bytes a Redis client sends for the command `args`: a RESP array of bulk strings. */
export function respCommandBytes(args: string[]): number {
  const bulkStrings = args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
  return Buffer.byteLength(`*${args.length}\r\n${bulkStrings}`);
}
