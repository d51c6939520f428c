// A tiny synchronous signal (observer list) for model hooks, e.g. `host.onDispatch.add(fn)`.
//
// Observation only: listeners run synchronously inside the model's callback, in the order they were
// added, with positional arguments (no per-emit allocation). A listener must not change the model's
// state from inside a hook (schedule a callback instead). Emitting with no listeners costs one
// length check.

export type Listener<A, B, C, D> = (a: A, b: B, c: C, d: D) => void;

export class Signal<A = void, B = void, C = void, D = void> {
  private listeners: Listener<A, B, C, D>[] = [];

  /** Adds a listener; returns a function that removes it. */
  add(fn: Listener<A, B, C, D>): () => void {
    this.listeners = [...this.listeners, fn];
    return () => this.remove(fn);
  }

  remove(fn: Listener<A, B, C, D>): void {
    this.listeners = this.listeners.filter((l) => l !== fn);
  }

  get size(): number {
    return this.listeners.length;
  }

  emit(a: A, b: B, c: C, d: D): void {
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) (ls[i] as Listener<A, B, C, D>)(a, b, c, d);
  }
}
