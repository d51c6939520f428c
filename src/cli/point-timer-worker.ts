// The worker thread of PointTimer (point-timer.ts): loads the study from the registry module a task
// names (the runner's studyFromRegistry, cached per thread), says "started" just before the run, runs
// it (executeRun, as a sweep's worker does) and answers with its wall time in ms, or the error.
// Only plain data crosses the thread boundary. The main thread terminates this thread when a run
// outlasts its budget.
import { parentPort } from 'node:worker_threads';
import { messageOf } from '../runner/errors.js';
import { executeRun, type RunTask } from '../runner/run-task.js';
import { studyFromRegistry } from '../runner/worker.js';
import type { TimerReply } from './point-timer.js';

const port = parentPort;
if (port === null) throw new Error('point-timer-worker: must run in a worker thread');

port.on('message', (task: RunTask) => {
  const reply = (r: TimerReply): void => port.postMessage(r);
  studyFromRegistry(task.registry, task.study).then(
    (study) => {
      reply({ kind: 'started' });
      try {
        reply({ kind: 'done', wallMs: executeRun(study, task).wallMs });
      } catch (err) {
        reply({ kind: 'error', message: messageOf(err) });
      }
    },
    (err: unknown) => reply({ kind: 'error', message: messageOf(err) }),
  );
});
