// The public API of the engine (src/sim): clock and units, event queue, simulation, events and
// processes, resources, random streams, statistics, tracing, observer signals and argument checks.
// No hypervisor words here.
export * from './time.js';
export * from './errors.js';
export {
  EventQueue,
  Priority,
  MIN_PRIORITY,
  MAX_PRIORITY,
  MAX_PENDING_EVENTS,
  QueueFullError,
  type Callback,
  type Handle,
} from './queue.js';
export {
  Simulation,
  DEFAULT_MAX_EVENTS_PER_INSTANT,
  DEFAULT_MAX_QUEUE_LENGTH,
  type SimulationOptions,
} from './simulation.js';
export { Event, EventState, Timeout, SleepToken, Condition, type ConditionValue, type Waiter } from './event.js';
export { Process, Interrupt, type ProcessGenerator } from './process.js';
export { Resource, PriorityResource, PreemptiveResource, Request, RequestState, Preempted } from './resource.js';
export { Store, FilterStore, StorePut, StoreGet } from './store.js';
export { Container, ContainerOp } from './container.js';
export { Deque, DEQUE_MAX_LENGTH, type DequeOptions } from './deque.js';
export { Signal, type Listener } from './signal.js';
export * from './check.js';
export { Tracer, type TraceRecord, type TraceFields, type TracerOptions } from './tracer.js';
export * from './rng.js';
export * from './samplers.js';
export * from './stats/index.js';
