// Signal (src/sim/signal.ts), the observer list behind the models' hooks: listeners run in the order
// they were added, with the emitted arguments; removal (also from inside a listener) takes effect
// from the next emit, because add/remove replace the list instead of editing it.
import { describe, expect, it } from 'vitest';
import { Signal } from '../../src/sim/index.js';
import { Signal as SignalFromModels } from '../../src/models/index.js';

describe('Signal', () => {
  it('calls listeners in order with the arguments, and removes them', () => {
    const s = new Signal<number, string>();
    const log: string[] = [];
    const offA = s.add((n, t) => log.push(`a${n}${t}`));
    s.add((n, t) => log.push(`b${n}${t}`));
    expect(s.size).toBe(2);
    s.emit(1, 'x', undefined, undefined);
    offA();
    s.emit(2, 'y', undefined, undefined);
    expect(log).toEqual(['a1x', 'b1x', 'b2y']);
    expect(s.size).toBe(1);
  });

  it('a listener removed during an emit still sees that emit, not the next', () => {
    const s = new Signal<number>();
    const log: string[] = [];
    let offB = (): void => {};
    s.add((n) => {
      log.push(`a${n}`);
      offB();
    });
    offB = s.add((n) => log.push(`b${n}`));
    s.emit(1, undefined, undefined, undefined);
    s.emit(2, undefined, undefined, undefined);
    expect(log).toEqual(['a1', 'b1', 'a2']);
  });

  it('is the same class from the engine and from the models entry point', () => {
    expect(SignalFromModels).toBe(Signal);
  });
});
