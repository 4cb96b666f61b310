import { expect, test } from 'vitest';
import { parseLogLine, RECORD_FIELDS, RECORD_TYPES } from '@tcprt/schema';
import { FIELD_LABELS, recordFieldRows } from '../../src/lib/record-field-rows';

const LINES = {
  R: 'V6 R 1 0 10.0.0.2:4000 10.0.0.1:80 2048 1000 50 2 7 700 100 80 1 1448 ',
  W: 'V6 W 1 0 10.0.0.2:4000 10.0.0.1:80 1000 1000 50 0 7 300 100 200 0 1448 ',
  N: 'V6 N 1 0 10.0.0.2:4000 10.0.0.1:80 7 700 40 0 1448 ',
  E: 'V6 E 1 0 10.0.0.2:4000 10.0.0.1:80 3 3000 0 300 0 50 ',
  P: 'V6 P 1 0 10.0.0.1:6379 10.0.0.2:4000 30 1000 50 0 7 600 150 900 0 1448 ',
};

test('labels every numbered field of every type (the task number of a task is in the title)', () => {
  for (const type of RECORD_TYPES) {
    const shown = recordFieldRows(parseLogLine(LINES[type])).map((row) => row.key);
    const expected = RECORD_FIELDS[type]
      .map((f) => f.key)
      .filter((key) => !(key === 'taskNum' && type !== 'E'));
    expect([type, [...shown].sort()]).toEqual([type, [...expected].sort()]);
    expect(Object.keys(FIELD_LABELS[type]).sort()).toEqual(
      RECORD_FIELDS[type].map((f) => f.key).sort(),
    );
  }
});

test("formats a field by its column's unit", () => {
  const rows = Object.fromEntries(
    recordFieldRows(parseLogLine(LINES.R)).map((row) => [row.label, row.value]),
  );
  expect(rows).toEqual({
    'Request bytes received': '80 B',
    'Response bytes sent': '2.00 KiB',
    'Total (T3−T0)': '1.00 ms',
    'Upload (T1−T0)': '100 µs',
    'Process (T2−T1)': '700 µs',
    'min RTT': '50 µs',
    'Retransmits in task': '2',
    'Reordered request': 'yes (out-of-order queue was not empty)',
    MSS: '1448 B',
  });
});
