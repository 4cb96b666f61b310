import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TcprtConfig } from '@tcprt/schema';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { waitUntil } from '@tcprt/testkit/waitUntil';
import { ConfigManager } from './config-manager';
import { ConfigRejectedError } from './config-rejected-error';
import { DEFAULT_CONFIG_YAML } from './default-config-yaml';

let dir: TempDir;
let file: string;
let applied: TcprtConfig[];
let manager: ConfigManager;

beforeEach(async () => {
  dir = await makeTempDir('config');
  file = path.join(dir.path, 'etc', 'tcprt.yaml');
  applied = [];
  manager = new ConfigManager(file, (c) => void applied.push(c));
});
afterEach(async () => {
  await manager.stop();
  await dir.remove();
});

const ports = () => applied.at(-1)?.['per-port'].map((r) => r.port);

describe('ConfigManager', () => {
  it('writes the documented default on first start and applies it', async () => {
    await manager.start();
    expect(readFileSync(file, 'utf8')).toBe(DEFAULT_CONFIG_YAML);
    expect(applied).toHaveLength(1);
    expect(ports()).toEqual([]);
  });

  it('hot-reloads a valid edit, including an editor-style rename over the file', async () => {
    await manager.start();
    writeFileSync(file, 'per-port:\n  - port: 80\n');
    await waitUntil('the edit to apply', () => ports()?.[0] === 80, 3000);
    const tmp = `${file}.swp`;
    writeFileSync(tmp, 'per-port:\n  - port: 81\n');
    renameSync(tmp, file);
    await waitUntil('the renamed file to apply', () => ports()?.[0] === 81, 3000);
    expect(manager.rejection()).toBeNull();
  });

  it('rejects a broken edit with line and path and keeps the last good config', async () => {
    await manager.start();
    writeFileSync(file, 'per-port:\n  - port: 80\n');
    await waitUntil('the good edit', () => ports()?.[0] === 80, 3000);
    const count = applied.length;
    writeFileSync(file, 'per-port:\n  - port: 80\n    mode: ftp\n');
    await waitUntil('the rejection', () => manager.rejection() !== null, 3000);
    expect(manager.rejection()?.issues[0]).toMatchObject({ line: 3, path: 'per-port[0].mode' });
    expect(applied).toHaveLength(count);
    expect(manager.config['per-port'][0]?.port).toBe(80);
  });

  it('starts on the defaults when the file is broken from the beginning, and says why', async () => {
    writeFileSync(path.join(dir.path, 'broken.yaml'), 'global: [');
    const broken = new ConfigManager(
      path.join(dir.path, 'broken.yaml'),
      (c) => void applied.push(c),
    );
    await broken.start();
    expect(applied[0]?.['per-port']).toEqual([]);
    expect(broken.rejection()?.issues[0]?.message).toMatch(/invalid YAML/);
    await broken.stop();
  });

  it('saves API changes atomically as readable YAML and refuses invalid ones', async () => {
    await manager.start();
    await manager.update((c) => ({
      ...c,
      'per-port': [{ port: '9000,9010', mode: 'http', first_frame: 'disable' }],
    }));
    expect(readFileSync(file, 'utf8')).toContain('  - port: "9000,9010"\n    mode: http\n');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    await expect(manager.replaceYaml('init:\n  log_buf_num: 0\n')).rejects.toThrow(
      ConfigRejectedError,
    );
    expect(manager.config['per-port'][0]?.port).toBe('9000,9010');
    expect(await manager.validate('per-port: []\n')).toEqual({ valid: true, issues: [] });
  });
});
