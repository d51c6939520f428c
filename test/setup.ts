// Test-wide setup: property tests (fast-check) run from a fixed seed so that `npm test` is
// deterministic in CI; set FC_SEED=<n> (or FC_SEED=random) to explore other cases locally.
import fc from 'fast-check';

const env = process.env['FC_SEED'];
if (env !== 'random') fc.configureGlobal({ seed: env === undefined ? 20031019 : Number(env) });
