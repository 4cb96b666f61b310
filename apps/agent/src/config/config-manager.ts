import { existsSync } from 'node:fs';
import {
  dumpConfigYaml,
  editConfigYaml,
  type ConfigIssue,
  type ConfigValidation,
  type ConfigView,
  type TcprtConfig,
} from '@tcprt/schema';
import { writeFileAtomic } from './atomic-write';
import {
  holdsNoSettings,
  loadConfigFile,
  parseConfigText,
  validateConfigObject,
} from './config-codec';
import { ConfigFileWatcher } from './config-file-watcher';
import { ConfigRejectedError } from './config-rejected-error';
import { ConfigValidator } from './config-validator';
import { DEFAULT_CONFIG_YAML } from './default-config-yaml';

export interface ConfigRejection {
  issues: ConfigIssue[];
  atMs: number;
}

/**
 * Puts a config into effect. Throws (or rejects with) ConfigRejectedError when what runs it
 * refuses it (the collector's loader refusing the rules): the config is then rejected like an
 * invalid file, and the previous one keeps running.
 */
export type ApplyConfig = (config: TcprtConfig) => void | Promise<void>;

/**
 * Owns tcprt.yaml: loads it, validates every candidate (file edit or API update), hands good
 * configs to `onApply` and keeps the last good one running when a candidate is rejected.
 * Candidates are handled one at a time, in the order they came.
 */
export class ConfigManager {
  private current!: { config: TcprtConfig; yaml: string; loadedAtMs: number };
  private lastRejection: ConfigRejection | null = null;
  private readonly watcher: ConfigFileWatcher;
  private queue: Promise<unknown> = Promise.resolve();
  /** API candidates are parsed off the event loop; the operator's own file is parsed here. */
  private readonly validator = new ConfigValidator();

  constructor(
    readonly path: string,
    private readonly onApply: ApplyConfig,
  ) {
    this.watcher = new ConfigFileWatcher(path, () => void this.serialized(() => this.reload()));
  }

  /** Loads the file (writing the documented default first if there is none) and starts watching it. */
  async start(): Promise<void> {
    if (!existsSync(this.path)) writeFileAtomic(this.path, DEFAULT_CONFIG_YAML);
    const loaded = await loadConfigFile(this.path);
    if (loaded.ok) {
      this.current = { config: loaded.config, yaml: loaded.text, loadedAtMs: Date.now() };
    } else {
      // No earlier good config exists: run the defaults and report why the file was not used.
      const defaults = parseConfigText(DEFAULT_CONFIG_YAML);
      if (!defaults.ok) throw new Error('built-in default config does not validate');
      this.current = { config: defaults.config, yaml: loaded.text ?? '', loadedAtMs: Date.now() };
      this.reject(loaded.issues);
    }
    await this.onApply(this.current.config);
    this.watcher.start();
    this.validator.start();
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => {});
    return run;
  }

  private async reload(): Promise<void> {
    const loaded = await loadConfigFile(this.path);
    if (loaded.text === this.current.yaml) {
      // Back to what is running (e.g. a broken edit undone): nothing is rejected any more.
      this.lastRejection = null;
      return;
    }
    if (!loaded.ok) {
      this.reject(loaded.issues);
      return;
    }
    await this.apply(loaded.config, loaded.text).catch((err: unknown) => {
      if (!(err instanceof ConfigRejectedError)) throw err;
    });
  }

  private reject(issues: ConfigIssue[]): void {
    this.lastRejection = { issues, atMs: Date.now() };
  }

  /** Puts `config` into effect, then makes it current; a refusal is recorded and rethrown. */
  private async apply(config: TcprtConfig, yaml: string): Promise<void> {
    try {
      await this.onApply(config);
    } catch (err) {
      if (err instanceof ConfigRejectedError) this.reject(err.issues);
      throw err;
    }
    this.current = { config, yaml, loadedAtMs: Date.now() };
    this.lastRejection = null;
  }

  /**
   * The collector refused `refused` when it (re)started and runs `fallback`: recorded as a
   * rejection, and `fallback` becomes what runs.
   */
  refusedByCollector(refused: TcprtConfig, issues: ConfigIssue[], fallback: TcprtConfig): void {
    this.reject(issues);
    if (this.current.config === refused)
      this.current = { config: fallback, yaml: dumpConfigYaml(fallback), loadedAtMs: Date.now() };
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

  /** What is odd about the running config although it is valid. */
  warnings(): string[] {
    return holdsNoSettings(this.current.yaml)
      ? [
          `${this.path} holds no settings: nothing is tracked (write \`per-port: []\` to make that explicit)`,
        ]
      : [];
  }

  async validate(text: string): Promise<ConfigValidation> {
    const parsed = await this.validator.check(text);
    return parsed.ok ? { valid: true, issues: [] } : { valid: false, issues: parsed.issues };
  }

  /** Applies and saves a whole new file text; rejects with ConfigRejectedError (and records it) when invalid or refused. */
  async replaceYaml(text: string): Promise<ConfigView> {
    const parsed = await this.validator.check(text);
    return this.serialized(async () => {
      if (!parsed.ok) {
        this.reject(parsed.issues);
        throw new ConfigRejectedError(parsed.issues);
      }
      await this.apply(parsed.config, text);
      writeFileAtomic(this.path, text);
      return this.view();
    });
  }

  /** Applies a structured change (rules, sections) and saves it into the file's text, comments kept. */
  update(change: (config: TcprtConfig) => unknown): Promise<ConfigView> {
    return this.serialized(async () => {
      const candidate = change(structuredClone(this.current.config));
      const validated = validateConfigObject(candidate);
      if (!validated.ok) {
        this.reject(validated.issues);
        throw new ConfigRejectedError(validated.issues);
      }
      const yaml = editConfigYaml(this.current.yaml, this.current.config, validated.config);
      await this.apply(validated.config, yaml);
      writeFileAtomic(this.path, yaml);
      return this.view();
    });
  }

  async stop(): Promise<void> {
    this.watcher.stop();
    await this.validator.stop();
  }
}
