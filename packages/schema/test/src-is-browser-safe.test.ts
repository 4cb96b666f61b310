import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

// packages/schema loads in the browser too: its sources may import only zod, js-yaml, yaml and each other.
it('src imports no Node, DOM-only or database modules', () => {
  const src = join(import.meta.dirname, '../src');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );
  const offending = files.flatMap((file) =>
    [...readFileSync(join(src, file), 'utf8').matchAll(/from '([^']+)'/g)]
      .map((m) => m[1]!)
      .filter(
        (specifier) =>
          !specifier.startsWith('.') && !['zod', 'js-yaml', 'yaml'].includes(specifier),
      )
      .map((specifier) => `${file}: ${specifier}`),
  );
  expect(files.length).toBeGreaterThan(5);
  expect(offending).toEqual([]);
});
