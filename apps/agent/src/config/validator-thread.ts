import { parentPort, type MessagePort } from 'node:worker_threads';
import { parseConfigText } from './config-codec';
import type { ValidatorReply, ValidatorRequest } from './config-validator';

/** Parses candidates off the agent's event loop: a 256 KiB YAML text takes tens to hundreds of ms. */
function serve(port: MessagePort): void {
  port.on('message', ({ id, text }: ValidatorRequest) => {
    const reply: ValidatorReply = { id, check: parseConfigText(text) };
    port.postMessage(reply);
  });
}

if (parentPort) serve(parentPort);
