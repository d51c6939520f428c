// examples/disk/worker.mjs — the runner's worker thread with tsx registered in it, so that it can load
// a study registry written in TypeScript (compiled registries need no such wrapper: use the default).
import { register } from 'tsx/esm/api';

register();
export { default } from 'hvsim/runner/worker';
