import { OTHER_ROUTE, type TcprtRecord } from '@tcprt/schema';
import type { RouteGrouper } from '../../endpoints/route-grouper';
import { ConnectionIds } from './connection-ids';
import { packInsertValues, RECORD_INSERT_VALUES, RECORD_TEXT_VALUES } from '../record-row';
import { RollupBuffer, type Rollup } from '../rollups';

/**
 * Records on their way to the writer thread, as the INSERT values of their rows plus the 10 s
 * rollups they add up to. Packed into one Float64Array (transferred, not copied) and a table of
 * the distinct texts instead of an object per record: structured-cloning tens of thousands of
 * small objects per batch would cost the main thread about what the SQLite work it hands off saves.
 * A batch sent by the timer gets a copy of exactly its rows. A full batch gets the builder's
 * array itself, and the writer thread moves it back once written: a new array per batch (1.5 MiB,
 * up to 50 a second) left tens of MiB of dead array buffers waiting for the next garbage collection.
 */
export interface RecordBatch {
  rows: number;
  /** rows × RECORD_INSERT_VALUES, in column order. NaN is NULL; a text column holds an index into `texts`. */
  values: Float64Array;
  /** `values` is a full batch's array: the writer thread moves it back once written (a 'spare' reply). */
  reusable: boolean;
  texts: string[];
  rollups: Rollup[];
  /** The routes the batch's requests were grouped under (OTHER_ROUTE aside), each with its latest start. */
  routes: RouteSighting[];
}

export interface RouteSighting {
  port: number;
  route: string;
  seenMs: number;
}

/** Full batches' arrays kept for reuse: enough for the batches in flight at the highest rates. */
const SPARE_VALUE_ARRAYS = 2;

/**
 * Builds batches on the main thread: gives each record its connection id and its HTTP request's
 * route, and folds it into the rollups.
 */
export class RecordBatchBuilder {
  private readonly connections: ConnectionIds;
  private rollups = new RollupBuffer();
  /** Per port, per route: the latest start (ms) of a request grouped under it in this batch. */
  private routesSeen = new Map<number, Map<string, number>>();
  /** The rows added since the last take. */
  private values: Float64Array;
  /** Full batches' arrays moved back by the writer thread, for the next full batch. */
  private readonly spareValues: Float64Array[] = [];
  private texts: string[] = [];
  private textIndex = new Map<string, number>();
  private rows = 0;
  private readonly text = (s: string): number => {
    let index = this.textIndex.get(s);
    if (index === undefined) {
      index = this.texts.length;
      this.texts.push(s);
      this.textIndex.set(s, index);
    }
    return index;
  };

  constructor(
    lastConnectionId: number,
    private readonly capacityRows: number,
    private readonly routes: RouteGrouper,
  ) {
    this.connections = new ConnectionIds(lastConnectionId);
    this.values = new Float64Array(capacityRows * RECORD_INSERT_VALUES);
  }

  get size(): number {
    return this.rows;
  }

  get full(): boolean {
    return this.rows === this.capacityRows;
  }

  /** Call only while not full. */
  add(r: TcprtRecord): void {
    const conn = this.connections.assign(r);
    this.rollups.add(r, conn.peer);
    const http = r.type === 'R' || r.type === 'W' ? r.http : undefined;
    const route = http ? this.routes.routeOf(r.local.port, http) : null;
    if (route !== null && route !== OTHER_ROUTE) this.noteRoute(r, route);
    packInsertValues(r, conn.id, this.values, this.rows * RECORD_INSERT_VALUES, this.text, route);
    this.rows++;
  }

  private noteRoute(r: TcprtRecord, route: string): void {
    const startMs = r.startSec * 1000 + Math.floor(r.startUsec / 1000);
    let byRoute = this.routesSeen.get(r.local.port);
    if (!byRoute) {
      byRoute = new Map();
      this.routesSeen.set(r.local.port, byRoute);
    }
    if ((byRoute.get(route) ?? -1) < startMs) byRoute.set(route, startMs);
  }

  private takeRoutes(): RouteSighting[] {
    const sightings: RouteSighting[] = [];
    for (const [port, byRoute] of this.routesSeen)
      for (const [route, seenMs] of byRoute) sightings.push({ port, route, seenMs });
    this.routesSeen = new Map();
    return sightings;
  }

  /** Takes back a batch's rollups once the batch was copied to the writer thread. */
  recycle(batch: RecordBatch): void {
    this.rollups.recycle(batch.rollups);
  }

  /** Takes back a full batch's values array once the writer thread has written it. */
  recycleValues(values: Float64Array): void {
    if (values.length === this.values.length && this.spareValues.length < SPARE_VALUE_ARRAYS)
      this.spareValues.push(values);
  }

  /** The records added since the last take, or null when there are none. */
  take(): RecordBatch | null {
    if (this.rows === 0) return null;
    const reusable = this.full;
    const values = reusable ? this.values : this.values.slice(0, this.rows * RECORD_INSERT_VALUES);
    if (reusable)
      this.values =
        this.spareValues.pop() ?? new Float64Array(this.capacityRows * RECORD_INSERT_VALUES);
    const batch: RecordBatch = {
      rows: this.rows,
      values,
      reusable,
      texts: this.texts,
      rollups: this.rollups.drain(),
      routes: this.takeRoutes(),
    };
    this.texts = [];
    this.textIndex = new Map();
    this.rows = 0;
    return batch;
  }
}

/** Writes row `row` of a batch into `out` from `at` on: the values packInsertValues packed, as SQLite binds them. */
export function unpackRow(batch: RecordBatch, row: number, out: unknown[], at: number): void {
  const { values, texts } = batch;
  const from = row * RECORD_INSERT_VALUES;
  for (let i = 0; i < RECORD_INSERT_VALUES; i++) {
    const v = values[from + i]!;
    out[at + i] = Number.isNaN(v) ? null : RECORD_TEXT_VALUES[i] ? texts[v] : v;
  }
}
