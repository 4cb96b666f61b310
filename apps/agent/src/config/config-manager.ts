import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import {
  dumpConfigYaml,
  type ConfigIssue,
  type ConfigValidation,
  type ConfigView,
  type TcprtConfig,
} from '@tcprt/schema';
import { writeFileAtomic } from './atomic-write';
import { parseConfigText, validateConfigObject } from './config-codec';
import { ConfigRejectedError } from './config-rejected-error';
import { DEFAULT_CONFIG_YAML } from './default-config-yaml';

/** Editors save in several steps (truncate, write, rename): wait for the file to settle. */
const WATCH_SETTLE_MS = 150;

export interface ConfigRejection {
  issues: ConfigIssue[];
  atMs: number;
}

/**
 * Owns tcprt.yaml: loads it, validates every candidate (file edit or API update), hands good
 * configs to `onApply` and keeps the last good one running when a candidate is rejected.
 */
export class ConfigManager {
  private current!: { config: TcprtConfig; yaml: string; loadedAtMs: number };
  private lastRejection: ConfigRejection | null = null;
  private watcher: FSWatcher | null = null;
  private settleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly path: string,
    private readonly onApply: (config: TcprtConfig) => void,
  ) {}

  /** Loads the file (writing the documented default first if there is none) and starts watching it. */
  start(): void {
    if (!existsSync(this.path)) writeFileAtomic(this.path, DEFAULT_CONFIG_YAML);
    const text = readFileSync(this.path, 'utf8');
    const parsed = parseConfigText(text);
    if (parsed.ok) {
      this.current = { config: parsed.config, yaml: text, loadedAtMs: Date.now() };
    } else {
      // No earlier good config exists: run the defaults and report why the file was not used.
      const defaults = parseConfigText(DEFAULT_CONFIG_YAML);
      if (!defaults.ok) throw new Error('built-in default config does not validate');
      this.current = { config: defaults.config, yaml: text, loadedAtMs: Date.now() };
      this.lastRejection = { issues: parsed.issues, atMs: Date.now() };
    }
    this.onApply(this.current.config);
    this.watch();
  }

  private watch(): void {
    // Watch the directory: an atomic save replaces the file's inode, which a file watch would lose.
    const name = path.basename(this.path);
    this.watcher = watch(path.dirname(this.path), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      if (this.settleTimer) clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.reloadFromDisk(), WATCH_SETTLE_MS);
    });
  }

  private reloadFromDisk(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      this.reject([
        { line: null, path: '', message: `cannot read ${this.path}: ${(err as Error).message}` },
      ]);
      return;
    }
    if (text === this.current.yaml) {
      // Back to what is running (e.g. a broken edit undone): nothing is rejected any more.
      this.lastRejection = null;
      return;
    }
    const parsed = parseConfigText(text);
    if (!parsed.ok) {
      this.reject(parsed.issues);
      return;
    }
    this.apply(parsed.config, text);
  }

  private reject(issues: ConfigIssue[]): void {
    this.lastRejection = { issues, atMs: Date.now() };
  }

  private apply(config: TcprtConfig, yaml: string): void {
    this.onApply(config);
    this.current = { config, yaml, loadedAtMs: Date.now() };
    this.lastRejection = null;
  }

  view(): ConfigView {
    return {
      path: this.path,
      yaml: this.current.yaml,
      config: this.current.config,
      loadedAtMs: this.current.loadedAtMs,
    };
  }

  get config(): TcprtConfig {
    return this.current.config;
  }

  rejection(): ConfigRejection | null {
    return this.lastRejection;
  }

  validate(text: string): ConfigValidation {
    const parsed = parseConfigText(text);
    return parsed.ok ? { valid: true, issues: [] } : { valid: false, issues: parsed.issues };
  }

  /** Applies and saves a whole new file text; throws ConfigRejectedError (and records it) when invalid. */
  replaceYaml(text: string): ConfigView {
    const parsed = parseConfigText(text);
    if (!parsed.ok) {
      this.reject(parsed.issues);
      throw new ConfigRejectedError(parsed.issues);
    }
    writeFileAtomic(this.path, text);
    this.apply(parsed.config, text);
    return this.view();
  }

  /** Applies a structured change (rules, sections) and saves it as readable YAML. */
  update(change: (config: TcprtConfig) => unknown): ConfigView {
    const candidate = change(structuredClone(this.current.config));
    const validated = validateConfigObject(candidate);
    if (!validated.ok) {
      this.reject(validated.issues);
      throw new ConfigRejectedError(validated.issues);
    }
    const yaml = dumpConfigYaml(validated.config);
    writeFileAtomic(this.path, yaml);
    this.apply(validated.config, yaml);
    return this.view();
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.settleTimer) clearTimeout(this.settleTimer);
  }
}
