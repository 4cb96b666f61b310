import { expect, test } from 'vitest';
import type { TaskTimeline } from '../../src/lib/task-timeline';
import { taskVerdict } from '../../src/lib/task-verdict';

/** Only the four durations matter to the verdict; the axis details are filled in. */
function phases(us: {
  uploadUs: number;
  processUs: number;
  downloadUs: number;
  unfinishedUs?: number;
}): TaskTimeline {
  const unfinishedUs = us.unfinishedUs ?? 0;
  return {
    ...us,
    unfinishedUs,
    endUs: us.uploadUs + us.processUs + us.downloadUs + unfinishedUs,
    markers: [],
    phaseNames: { upload: 'up', process: 'process', download: 'down' },
  };
}

test('names the phase that took most of a local task, with its share of the total', () => {
  const p = phases({ uploadUs: 100, processUs: 800, downloadUs: 100 });
  expect(taskVerdict(p, false)).toBe(
    '80% of the 1.00 ms went to the server processing the request (800 µs).',
  );
  expect(taskVerdict(phases({ uploadUs: 2_000, processUs: 500, downloadUs: 7_500 }), false)).toBe(
    '75% of the 10.0 ms went to delivering the response until the last ACK (network or client pace) (7.50 ms).',
  );
  expect(taskVerdict(phases({ uploadUs: 6_000, processUs: 3_000, downloadUs: 1_000 }), false)).toBe(
    '60% of the 10.0 ms went to receiving the request (client pace or network) (6.00 ms).',
  );
});

test('speaks of the remote service in peer mode', () => {
  const p = phases({ uploadUs: 100, processUs: 800, downloadUs: 100 });
  expect(taskVerdict(p, true)).toBe(
    '80% of the 1.00 ms went to waiting for the remote service (service time) (800 µs).',
  );
  expect(taskVerdict(phases({ uploadUs: 600, processUs: 300, downloadUs: 100 }), true)).toBe(
    '60% of the 1.00 ms went to sending the request (600 µs).',
  );
  expect(taskVerdict(phases({ uploadUs: 100, processUs: 300, downloadUs: 600 }), true)).toBe(
    '60% of the 1.00 ms went to receiving the response (600 µs).',
  );
});

test('counts the unfinished transfer of a W record in the total and can name it', () => {
  const p = phases({ uploadUs: 0, processUs: 1_000, downloadUs: 0, unfinishedUs: 3_000 });
  expect(taskVerdict(p, false)).toBe(
    '75% of the 4.00 ms went to an unfinished transfer cut short by the close (3.00 ms).',
  );
});

test('rounds the share to a whole percent and handles a task under a microsecond', () => {
  expect(taskVerdict(phases({ uploadUs: 1, processUs: 2, downloadUs: 0 }), false)).toBe(
    '67% of the 3 µs went to the server processing the request (2 µs).',
  );
  expect(taskVerdict(phases({ uploadUs: 0, processUs: 0, downloadUs: 0 }), false)).toBe(
    'The whole task took less than a microsecond.',
  );
});
