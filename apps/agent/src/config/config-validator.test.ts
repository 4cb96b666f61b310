import { afterEach, expect, it } from 'vitest';
import { ConfigValidator } from './config-validator';

let validator: ConfigValidator | null = null;
afterEach(async () => {
  await validator?.stop();
});

it('ends its thread when idle and starts it again for the next candidate', async () => {
  validator = new ConfigValidator(200);
  validator.start();
  expect(await validator.check('per-port: [{port: 80}]\n')).toMatchObject({ ok: true });
  expect(validator.running).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(validator.running).toBe(false);
  expect(await validator.check('per-port: [{port: 0}]\n')).toMatchObject({
    ok: false,
    issues: [{ line: 1, path: 'per-port[0].port' }],
  });
  expect(validator.running).toBe(true);
});
