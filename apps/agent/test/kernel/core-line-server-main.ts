import { startLineServer, type LineServerOptions } from './core-line-server';

// Child-process entry: the servers get an event loop of their own, so their delays do not
// depend on what the test process is busy with. Prints "ready" once every server listens and
// exits when its stdin closes.
const options = JSON.parse(process.argv[2] ?? '[]') as LineServerOptions[];
await Promise.all(options.map((o) => startLineServer(o)));
process.stdout.write('ready\n');
process.stdin.on('close', () => process.exit(0)).resume();
