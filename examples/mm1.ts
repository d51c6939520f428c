// examples/mm1.ts: an M/M/1 disk queue on the engine (integer ns; theory Wq = ρS/(1−ρ) = 16 ms)
import { Simulation, Resource, RandomStreams, Tally, ms, type ProcessGenerator } from 'hvsim';

const sim = new Simulation();
const rng = new RandomStreams(42).stream('clients');      // named stream: others never change its draws
const disk = new Resource(sim, 1, 'disk');
const wait = new Tally();                                 // streaming mean and variance (Welford)
function* client(): ProcessGenerator {
  const t0 = sim.now, req = disk.request();               // time is integer nanoseconds
  yield req;                                              // queue for the disk
  wait.add(sim.now - t0);
  yield sim.timeout(Math.round(rng.exponential(ms(4))));  // 4 ms mean service
  disk.release(req);
}
sim.process((function* (): ProcessGenerator {             // Poisson arrivals, one per 5 ms on average
  for (let i = 0; i < 200_000; i++) { yield sim.timeout(Math.round(rng.exponential(ms(5)))); sim.process(client()); }
})());
sim.run();
console.log(`mean wait ${(wait.mean / ms(1)).toFixed(1)} ms (M/M/1 theory: 16.0 ms)`);
