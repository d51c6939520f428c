// Request/response workload: conservation, hand-computed latency of the notification path at low
// load, notifications per item ≈ 1/k at high load, the hold-off on the path, the stall without
// hold-off, determinism and parameter errors.
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNEL_DEFAULTS } from '../../../src/models/events/event-channels.js';
import { runRequestResponse } from '../../../src/kit/request-response-run.js';
import { SWITCH_PROFILE_FITS } from '../../../src/models/calibration.js';
import { ContextSwitchModel } from '../../../src/models/cpu/context-switch.js';
import {
  REQUEST_RESPONSE_DEFAULTS,
  type RequestResponseParams,
} from '../../../src/models/workloads/request-response.js';

const H = EVENT_CHANNEL_DEFAULTS.hypercallNs; // 450
const U = EVENT_CHANNEL_DEFAULTS.upcallNs; // 1290
const ISSUE = REQUEST_RESPONSE_DEFAULTS.clientIssueNs; // 500
const RESP = REQUEST_RESPONSE_DEFAULTS.clientResponseNs; // 500
const S = 1880;

/** Quiet host: no timer tick, free context switches, constant service; short run. */
const quiet: Partial<RequestResponseParams> = {
  timerTickNs: 0,
  contextSwitchCosts: false,
  serviceNs: { kind: 'constant', valueNs: S },
  warmupNs: 2_000_000, // past dom0's two createDomain operations (2 × 768 µs)
  runLengthNs: 10_000_000,
};

describe('request/response workload', () => {
  it('latency at low load = the hand-computed sum of the path (closed loop, one request at a time)', () => {
    // issue 500 + client hypercall 450 + server upcall 1290 + service 1880 + server hypercall 450
    // + client upcall 1290 + response 500 = 6360 ns
    const path = ISSUE + H + U + S + H + U + RESP;
    expect(path).toBe(6360);
    for (const cpus of [1, 2]) {
      const m = runRequestResponse({ ...quiet, cpus, arrival: 'closed', outstanding: 1 }, 1);
      expect(m.latencyMeanNs).toBe(path);
      expect(m.latencyMaxNs).toBe(path);
      expect(m.notifiesPerItem).toBeCloseTo(2, 2); // k = 1: one notification each way
      // per-item CPU: exact but for the demands straddling the window edges (< 0.1 %)
      expect(Math.abs(m.notificationCpuPerItemNs - 2 * (H + U))).toBeLessThan(5);
      expect(Math.abs(m.usefulCpuPerItemNs - (ISSUE + S + RESP))).toBeLessThan(5);
      // one round trip at a time: throughput = 1 / latency, ± one completion in the 10 ms window
      expect(Math.abs(m.throughputPerS - 1e9 / path)).toBeLessThanOrEqual(100);
    }
    // one CPU with the default context-switch model (Xen profile, working set 0): two switches per round trip
    // (client → server → client), each back to a domain after the other one ran: its overhead bytes and the two
    // switches' pollution are what the incoming domain finds in its way
    const xen = SWITCH_PROFILE_FITS.Xen;
    const warm = new ContextSwitchModel().costNs(0, xen.entityOverheadBytes + 2 * xen.switchPollutionBytes, false);
    const sw = runRequestResponse(
      { ...quiet, cpus: 1, contextSwitchCosts: true, arrival: 'closed', outstanding: 1 },
      1,
    );
    expect(sw.latencyMeanNs).toBe(path + 2 * warm);
  });

  it('open loop at low load: mean latency ≈ the path with exponential service (little queueing)', () => {
    const m = runRequestResponse(
      {
        ...quiet,
        cpus: 1,
        arrival: 'open',
        ratePerS: 2000,
        serviceNs: { kind: 'exponential', meanNs: S },
        runLengthNs: 200_000_000,
      },
      3,
    );
    expect(m.completedInWindow).toBeGreaterThan(300);
    const path = ISSUE + H + U + S + H + U + RESP;
    expect(Math.abs(m.latencyMeanNs - path) / path).toBeLessThan(0.1);
  });

  it('notifications per item ≈ 1/k at high load (saturated server, fast client: response direction)', () => {
    for (const k of [1, 2, 4, 8, 16]) {
      const policy = { everyItems: k, holdOffNs: 1_000_000 };
      const m = runRequestResponse(
        {
          ...quiet,
          cpus: 2,
          arrival: 'closed',
          outstanding: 64,
          serviceNs: { kind: 'constant', valueNs: 20_000 },
          requestNotify: policy,
          responseNotify: policy,
        },
        1,
      );
      // each threshold notification covers ≥ k items; the client drains faster than the server
      // produces, so it re-arms after about k: ≈ 1/k (window edges add at most one notification)
      expect(Math.abs(m.responseNotifiesPerItem - 1 / k)).toBeLessThanOrEqual(0.1 / k);
      expect(m.clientUpcallsPerItem).toBeLessThanOrEqual(1.1 / k);
      // the saturated server never finds its ring empty, so it never re-arms: requests need no notifications
      expect(m.requestNotifiesPerItem).toBeLessThan(0.01);
      expect(m.throughputPerS).toBeGreaterThan(45_000); // server-bound: 1 / 20 µs = 50 000 per s, less its upcalls
    }
  });

  it('hold-off on the path: k = 2 with one request outstanding waits one hold-off each way (hand-computed)', () => {
    const holdOffNs = 50_000;
    const policy = { everyItems: 2, holdOffNs };
    const m = runRequestResponse(
      { ...quiet, cpus: 2, arrival: 'closed', outstanding: 1, requestNotify: policy, responseNotify: policy },
      1,
    );
    // the request is pushed after its issue; the threshold (2) is never reached, so the timer armed at
    // the push fires holdOffNs later and the client sends; same for the response
    expect(m.latencyMeanNs).toBe(ISSUE + holdOffNs + H + U + S + holdOffNs + H + U + RESP);
    expect(m.holdOffNotifyFraction).toBe(1);
  });

  it('without a hold-off, a threshold above what can be outstanding stalls (the hazard the timer is for)', () => {
    const policy = { everyItems: 4, holdOffNs: null };
    const m = runRequestResponse({ ...quiet, cpus: 2, arrival: 'closed', outstanding: 2, requestNotify: policy }, 1);
    // requests 1 and 2: the first passes the initial req_event = 1 (SHARED_RING_INIT); the server
    // drains both and re-arms req_event = 2 + 4 = 6; requests 3 and 4 reach req_prod 4 < 6 and stall
    expect(m.completed).toBe(2);
    expect(m.inFlightAtEnd).toBe(2);
    expect(m.requestNotifiesPerItem).toBeNaN(); // nothing pushed in the window
  });

  it('conservation: generated = completed + in flight + backlog; issued = completed + in flight', () => {
    const cases: Partial<RequestResponseParams>[] = [
      { cpus: 1, arrival: 'open', ratePerS: 50_000, runLengthNs: 20_000_000 },
      // overload: 1 CPU cannot serve 400k/s; the backlog grows and the ring fills (back-pressure)
      { cpus: 1, arrival: 'open', ratePerS: 400_000, ringSizeEntries: 16, runLengthNs: 5_000_000 },
      {
        cpus: 2,
        arrival: 'closed',
        outstanding: 8,
        requestNotify: { everyItems: 4, holdOffNs: 20_000 },
        runLengthNs: 20_000_000,
      },
      { cpus: 1, arrival: 'closed', outstanding: 300, scheduler: 'round-robin', runLengthNs: 20_000_000 },
    ];
    for (const c of cases) {
      const m = runRequestResponse({ warmupNs: 2_000_000, ...c }, 11);
      expect(m.generated).toBe(m.completed + m.inFlightAtEnd + m.backlogAtEnd);
      expect(m.issued).toBe(m.completed + m.inFlightAtEnd);
      expect(m.inFlightAtEnd).toBeLessThanOrEqual(c.ringSizeEntries ?? 256);
      expect(m.completed).toBeGreaterThan(0);
      if (c.arrival === 'closed') expect(m.generated - m.completed).toBe(c.outstanding);
    }
    const over = runRequestResponse({ warmupNs: 2_000_000, ...cases[1] }, 11);
    expect(over.backlogAtEnd).toBeGreaterThan(100);
    expect(over.inFlightAtEnd).toBe(16);
  });

  it('past saturation the client backlog hits its cap and the run fails, naming the queue and why', () => {
    const overload: Partial<RequestResponseParams> = {
      cpus: 1,
      arrival: 'open',
      ratePerS: 400_000,
      ringSizeEntries: 16,
      warmupNs: 2_000_000,
      runLengthNs: 5_000_000,
    };
    // the same run completes under the default cap with a backlog above 100 (test above)
    expect(() => runRequestResponse({ ...overload, maxBacklog: 100 }, 11)).toThrow(
      /request-response: the client backlog \(requests waiting to be put on the ring\) reached maxBacklog = 100 at \d+ ns: arrivals outpace/,
    );
    expect(() => runRequestResponse({ maxBacklog: 0 }, 1)).toThrow(/maxBacklog must be an integer >= 1, got 0/);
  });

  it('same seed, same measures; another seed, other draws', () => {
    const p: Partial<RequestResponseParams> = { cpus: 1, ratePerS: 20_000, runLengthNs: 20_000_000 };
    expect(runRequestResponse(p, 'x')).toEqual(runRequestResponse(p, 'x'));
    expect(runRequestResponse(p, 'x').latencyMeanNs).not.toBe(runRequestResponse(p, 'y').latencyMeanNs);
  });

  it('bad parameters give one clear error naming the field', () => {
    expect(() => runRequestResponse({ ringSizeEntries: 100 }, 1)).toThrow(
      /ringSizeEntries must be a power of two, got 100/,
    );
    expect(() => runRequestResponse({ requestNotify: { everyItems: 0, holdOffNs: null } }, 1)).toThrow(
      /requestNotify.everyItems must be an integer >= 1 and <= 256, got 0/,
    );
    expect(() => runRequestResponse({ arrival: 'bursty' as 'open' }, 1)).toThrow(
      /arrival must be one of "open", "closed", got "bursty"/,
    );
    expect(() => runRequestResponse({ ratePerS: 0 }, 1)).toThrow(/ratePerS must be a number/);
    expect(() => runRequestResponse({ kk: 1 } as Partial<RequestResponseParams>, 1)).toThrow(/unknown parameter "kk"/);
  });
});
