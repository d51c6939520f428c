// Web serving, SPECweb99-like: a web server in a guest domain behind its VIF, and clients on remote hosts
// beyond the NIC, each with one persistent TCP connection (HTTP/1.1 keep-alive) over tcp-net.ts.
//
// Request mix (SPECweb99 design, as described in the project's calibration table: "30% dynamic requests,
// 16% POSTs, 0.5% CGI (each a fork)"; read, as in SPECweb99's own mix, as shares of the dynamic requests:
// 16% of 30% = 4.8% POSTs, 0.5% of 30% = 0.15% CGI of all requests):
//   static GET 70%, dynamic GET 25.05%, POST 4.8%, CGI GET 0.15% (WEB_DEFAULTS, all parameters).
// File set: SPECweb99's four classes of nine files each, file j (1 … 9) of class c being j × base_c
// bytes with base = 100 B, 1 kB, 10 kB, 100 kB (decimal: assumption) and class shares 35 / 50 / 14 / 1 %
// (SPECweb99 design). Within a class the nine files have Zipf-like popularity (weight 1/rank, α = 1),
// the ranks favouring the middle sizes (rank order 5, 4, 6, 3, 7, 2, 8, 1, 9: assumption shaped like
// SPECweb99's in-class frequencies). Mean file ≈ 14.27 kB (meanFileBytes). GETs of every kind and CGI return a file
// of the set; a POST returns `postResponseBytes`. The whole file set is assumed to be in the guest's
// buffer cache (no disk model here; the 2 GB set of a real run would not fit: assumption, said so).
// Per-request server CPU, on the server domain's vCPU as normal (process-context) demand, priced by
// the guest profile's operation vocabulary (guest/operations.ts, guest/profile.ts): every request costs
// select + 2 null I/O (read the request, write the header) + stat + open/close (Apache 1.3's request
// path: assumption); a dynamic GET adds `dynamicComputeNs` of computation, a POST adds that and a 0K
// create (appending to the post log), a CGI GET adds fork + exec + that. The bytes themselves cost
// the endpoint's per-packet and per-byte path costs (network.ts) as they are sent and received.
// Clients: each issues one request at a time (no pipelining) and paces itself to `clientTargetBps`
// (SPECweb99 clients aim at 400 kbit/s per connection: after a response of b bytes, the next request
// starts no earlier than 8·b / target after the previous one started). Conformance: a client is
// conformant when its bit rate is at least `conformanceBps` (320 kbit/s, calibration table). Its bit
// rate is measured per request, not as bytes in the window: a paced client spends max(response time,
// pacing time) on each request, so Σ bytes / Σ max(rt, pace) over the requests completed in the window
// (plus the one in progress) is its long-run rate, without the noise a short window has when one
// 900 kB file (18 s of pacing at 400 kbit/s) falls in or out of it (clientRateBps). A
// response that takes longer than `timeoutNs` is counted failed, not completed (assumption: 30 s).
// Score: the number of conformant clients at the largest client count for which at least
// `conformantShare` (95%: assumption after SPECweb99's run rules) of the clients are conformant, found by
// `findWebScore`: a bisection over client count, one fresh run per probe (run-level search: each probe
// is an independent run with the same seed), assuming the pass/fail outcome is monotone in the count.
// Simplifications: the server demultiplexes by port only (network.ts endpoints bind a port), so client i
// connects to server port basePort + i (a real server has one listening port and demultiplexes by the
// four-tuple); tcp.ts has no TCP_NODELAY (Apache 1.3 sets it), so the tail segment of a response waits for
// the ACK of the data before it (Nagle): clients ACK every segment (ackEverySegments 1) so that wait is one
// round trip, not the 40 ms delayed-ACK timer (said so in the studies' notes).
// Units: ns, bytes, bit/s.
import type { Rng } from '../../sim/rng.js';
import { NET_WORKLOADS } from '../calibration.js';
import type { Simulation } from '../../sim/simulation.js';
import { type GuestProfile } from '../guest/profile.js';
import type { PageTableQueue } from '../guest/page-table.js';
import { checkInt, checkNumber, rangeFail } from '../validate.js';
import type { NetEndpoint } from './endpoint.js';
import type { TcpEndpoint } from './tcp.js';
import { connectTcp, type RunThen, type TcpConnection } from './tcp-net.js';

/** What a request is. */
export const WebRequestKind = { static: 'static', dynamic: 'dynamic', post: 'post', cgi: 'cgi' } as const;
export type WebRequestKind = (typeof WebRequestKind)[keyof typeof WebRequestKind];
const KIND_NAMES: readonly WebRequestKind[] = ['static', 'dynamic', 'post', 'cgi'];

/** SPECweb99 file classes (module header): base size and share of static requests. */
export const WEB_FILE_CLASSES = [
  { baseBytes: NET_WORKLOADS.webFileClassBase0Bytes.value, share: NET_WORKLOADS.webFileClassShare0.value },
  { baseBytes: NET_WORKLOADS.webFileClassBase1Bytes.value, share: NET_WORKLOADS.webFileClassShare1.value },
  { baseBytes: NET_WORKLOADS.webFileClassBase2Bytes.value, share: NET_WORKLOADS.webFileClassShare2.value },
  { baseBytes: NET_WORKLOADS.webFileClassBase3Bytes.value, share: NET_WORKLOADS.webFileClassShare3.value },
] as const;
/** Multiplier of the base size, most popular first (module header: assumption). */
const SIZE_BY_RANK: readonly number[] = Array.from(String(NET_WORKLOADS.webSizeRankOrder.value), Number);

export const WEB_DEFAULTS = {
  /** Calibration table (SPECweb99): 30% of requests dynamic. */
  dynamicShare: NET_WORKLOADS.webDynamicShare.value,
  /** Calibration table: 16% POSTs, of the dynamic requests (module header). */
  postShareOfDynamic: NET_WORKLOADS.webPostShareOfDynamic.value,
  /** Calibration table: 0.5% CGI (fork per request), of the dynamic requests. */
  cgiShareOfDynamic: NET_WORKLOADS.webCgiShareOfDynamic.value,
  /** Calibration table: conformant while receiving at least 320 kbit/s. */
  conformanceBps: NET_WORKLOADS.webConformanceBps.value,
  /** SPECweb99 clients pace each connection to 400 kbit/s (module header). */
  clientTargetBps: NET_WORKLOADS.webClientTargetBps.value,
  /** HTTP GET request size (assumption). */
  requestBytes: NET_WORKLOADS.webRequestBytes.value,
  /** POST body (SPECweb99 posts a small form; assumption). */
  postBodyBytes: NET_WORKLOADS.webPostBodyBytes.value,
  /** POST response size (assumption). */
  postResponseBytes: NET_WORKLOADS.webPostResponseBytes.value,
  /** Computation of a dynamic request (ad rotation, cookie parsing; assumption). */
  dynamicComputeNs: NET_WORKLOADS.webDynamicComputeNs.value,
  /** A response slower than this counts as failed (assumption). */
  timeoutNs: NET_WORKLOADS.webTimeoutNs.value,
  /** Share of conformant clients a probe of the score search must reach (assumption after SPECweb99). */
  conformantShare: NET_WORKLOADS.webConformantShare.value,
  /** Server port of client 0; client i uses basePort + i (module header). */
  basePort: 8000,
} as const;

export interface WebParams {
  readonly dynamicShare: number;
  readonly postShareOfDynamic: number;
  readonly cgiShareOfDynamic: number;
  readonly conformanceBps: number;
  readonly clientTargetBps: number;
  readonly requestBytes: number;
  readonly postBodyBytes: number;
  readonly postResponseBytes: number;
  readonly dynamicComputeNs: number;
  readonly timeoutNs: number;
}

export interface WebWorkloadOptions {
  /** Number of clients (connections), 1 … 4096. */
  readonly clients: number;
  /** The server's endpoint (a GuestEndpoint of the server domain's VIF). */
  readonly server: NetEndpoint;
  /** The server domain's vCPU (request processing runs on it). */
  readonly serverVcpu: RunThen;
  /** The server's guest profile (prices the per-request operations). */
  readonly profile: GuestProfile;
  /** Client machines; client i runs on clientHosts[i mod length]. */
  readonly clientHosts: readonly NetEndpoint[];
  /** Request mix and file choice. */
  readonly rng: Rng;
  readonly params?: Partial<WebParams>;
  /** Socket buffers of both sides; default tcp.ts's (128 kB). */
  readonly sockBufBytes?: number;
  /**
   * Server port of client 0 (client i uses basePort + i); default WEB_DEFAULTS.basePort. Lets several
   * servers share one endpoint with disjoint port ranges (e.g. native server processes on one interface).
   */
  readonly basePort?: number;
}

/** Measures of the window since startMeasuring(). */
export interface WebWindow {
  readonly clients: number;
  readonly conformantClients: number;
  readonly completed: number;
  readonly failed: number;
  /** Response bytes delivered to the clients' applications in the window. */
  readonly bytes: number;
  /**
   * Response bytes delivered in the window / window, Mb/s. In a window shorter than the pacing of the
   * largest files (18 s for 900 kB at 400 kbit/s) it overstates the long-run rate: a client that just got
   * a large file idles long after the window ends.
   */
  readonly throughputMbps: number;
  /** Σ clients' bit rates (clientRateBps), Mb/s: the long-run delivered rate, at most clients × target. */
  readonly clientRateMbps: number;
  readonly requestsPerSec: number;
  /** Response time (request write → last response byte delivered) quantiles, ms; NaN if none. */
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  /** Per-client receive rate in the window, bit/s (client order). */
  readonly clientBps: readonly number[];
}

function checkParams(where: string, p: Partial<WebParams>): WebParams {
  const q: WebParams = { ...WEB_DEFAULTS, ...p };
  checkNumber(where, 'dynamicShare', q.dynamicShare, 0, 1);
  checkNumber(where, 'postShareOfDynamic', q.postShareOfDynamic, 0, 1);
  checkNumber(where, 'cgiShareOfDynamic', q.cgiShareOfDynamic, 0, 1);
  if (q.postShareOfDynamic + q.cgiShareOfDynamic > 1)
    rangeFail(
      where,
      'cgiShareOfDynamic',
      `at most 1 − postShareOfDynamic (${1 - q.postShareOfDynamic})`,
      q.cgiShareOfDynamic,
    );
  checkNumber(where, 'conformanceBps', q.conformanceBps, 1, 1e12);
  checkNumber(where, 'clientTargetBps', q.clientTargetBps, 1, 1e12);
  checkInt(where, 'requestBytes', q.requestBytes, 1, 1_000_000);
  checkInt(where, 'postBodyBytes', q.postBodyBytes, 0, 1_000_000);
  checkInt(where, 'postResponseBytes', q.postResponseBytes, 1, 100_000_000);
  checkInt(where, 'dynamicComputeNs', q.dynamicComputeNs, 0, 1e12);
  checkInt(where, 'timeoutNs', q.timeoutNs, 1, Number.MAX_SAFE_INTEGER);
  return q;
}

/** A byte writer over one TCP endpoint: queues what the send buffer does not take, resumes on onWritable. */
class StreamWriter {
  private pending = 0;
  constructor(private readonly tcp: TcpEndpoint) {
    tcp.onWritable = () => this.pump();
  }
  write(bytes: number): void {
    this.pending += bytes;
    this.pump();
  }
  private pump(): void {
    if (this.pending > 0) this.pending -= this.tcp.write(this.pending);
  }
}

/** One client and its connection (both sides' application state). */
class WebClient {
  // client side
  busy = false;
  kind: WebRequestKind = 'static';
  startNs = 0;
  responseBytes = 0;
  /** Client stream offset where the current response ends. */
  responseEnd = 0;
  clientRx = 0;
  windowBytes = 0;
  /** Response bytes and client time (Σ max(response time, pacing time)) of requests completed in the window. */
  rateBytes = 0;
  rateNs = 0;
  // server side
  serverRx = 0;
  /** Server stream offset where the current request ends (−1: none outstanding). */
  requestEnd = -1;
  readonly toServer: StreamWriter;
  readonly toClient: StreamWriter;
  constructor(
    readonly index: number,
    readonly conn: TcpConnection,
  ) {
    this.toServer = new StreamWriter(conn.client);
    this.toClient = new StreamWriter(conn.server);
  }
}

/** The workload (module header). Build it, then start(); measure with startMeasuring() / window(). */
export class WebWorkload {
  readonly params: WebParams;
  readonly clients: readonly WebClient[];
  /** Counters since start (conservation: issued = completed + inFlight + failed). */
  issued = 0;
  completed = 0;
  failed = 0;
  readonly issuedByKind: Record<WebRequestKind, number> = { static: 0, dynamic: 0, post: 0, cgi: 0 };
  /** Response times completed in the window, ns (in completion order). */
  readonly responseNs: number[] = [];
  private windowStartNs = 0;
  private windowCompleted = 0;
  private windowFailed = 0;
  private windowSumNs = 0;
  private readonly pt: PageTableQueue;
  private readonly rng: Rng;
  private readonly vcpu: RunThen;
  private readonly profile: GuestProfile;
  private readonly baseCostNs: number;
  private readonly respondFn = (c: WebClient): void => this.respond(c);
  private readonly issueFn = (c: WebClient): void => this.issue(c);
  private started = false;

  constructor(
    private readonly sim: Simulation,
    o: WebWorkloadOptions,
  ) {
    const where = 'WebWorkload';
    const n = checkInt(where, 'clients', o.clients, 1, 4096);
    if (o.clientHosts.length === 0) rangeFail(where, 'clientHosts', 'at least one client machine', 0);
    this.params = checkParams(where, o.params ?? {});
    this.rng = o.rng;
    this.vcpu = o.serverVcpu;
    this.profile = o.profile;
    this.pt = o.profile.newPageTable();
    const prof = o.profile;
    this.baseCostNs =
      prof.opNs('select', this.pt) +
      2 * prof.opNs('nullIo', this.pt) +
      prof.opNs('stat', this.pt) +
      prof.opNs('openClose', this.pt);
    const sock = o.sockBufBytes === undefined ? {} : { sndBufBytes: o.sockBufBytes, rcvBufBytes: o.sockBufBytes };
    const basePort = checkInt(where, 'basePort', o.basePort ?? WEB_DEFAULTS.basePort, 1, 65535 - n + 1);
    const list: WebClient[] = [];
    for (let i = 0; i < n; i++) {
      const host = o.clientHosts[i % o.clientHosts.length] as NetEndpoint;
      const conn = connectTcp(sim, host, o.server, {
        serverPort: basePort + i,
        client: { ...sock, ackEverySegments: 1 },
        server: sock,
      });
      const c = new WebClient(i, conn);
      conn.server.onDeliver = (_off, bytes) => this.serverReceived(c, bytes);
      conn.client.onDeliver = (_off, bytes) => this.clientReceived(c, bytes);
      list.push(c);
    }
    this.clients = list;
  }

  /** Every client issues its first request now. */
  start(): void {
    if (this.started) throw new Error('WebWorkload: started twice');
    this.started = true;
    this.windowStartNs = this.sim.now;
    for (const c of this.clients) this.issue(c);
  }

  /** Requests issued and not yet completed or failed (counted client by client). */
  get inFlight(): number {
    let k = 0;
    for (const c of this.clients) if (c.busy) k++;
    return k;
  }

  /** Server CPU of one request of `kind` (module header), ns, integer. */
  requestCpuNs(kind: WebRequestKind): number {
    const prof = this.profile;
    const d = this.params.dynamicComputeNs;
    switch (kind) {
      case 'static':
        return Math.round(this.baseCostNs);
      case 'dynamic':
        return Math.round(this.baseCostNs + d);
      case 'post':
        return Math.round(this.baseCostNs + d + prof.opNs('create0k', this.pt));
      case 'cgi':
        return Math.round(this.baseCostNs + d + prof.opNs('fork', this.pt) + prof.opNs('exec', this.pt));
    }
  }

  /** Starts a new measured window now. */
  startMeasuring(): void {
    this.windowStartNs = this.sim.now;
    this.windowCompleted = 0;
    this.windowFailed = 0;
    this.windowSumNs = 0;
    this.responseNs.length = 0;
    for (const c of this.clients) {
      c.windowBytes = 0;
      c.rateBytes = 0;
      c.rateNs = 0;
    }
  }

  /** Measures of the window since startMeasuring() (or start()). */
  window(): WebWindow {
    const p = this.params;
    const spanNs = this.sim.now - this.windowStartNs;
    if (!(spanNs > 0)) throw new Error('WebWorkload.window: empty measuring window');
    const clientBps: number[] = [];
    let bytes = 0;
    let conformant = 0;
    for (const c of this.clients) {
      const bps = this.clientRateBps(c);
      clientBps.push(bps);
      bytes += c.windowBytes;
      if (bps >= p.conformanceBps) conformant++;
    }
    const sorted = this.responseNs.slice().sort((a, b) => a - b);
    return {
      clients: this.clients.length,
      conformantClients: conformant,
      completed: this.windowCompleted,
      failed: this.windowFailed,
      bytes,
      throughputMbps: (bytes * 8e3) / spanNs,
      clientRateMbps: clientBps.reduce((a, b) => a + b, 0) / 1e6,
      requestsPerSec: (this.windowCompleted * 1e9) / spanNs,
      p50Ms: quantileSorted(sorted, 0.5) / 1e6,
      p90Ms: quantileSorted(sorted, 0.9) / 1e6,
      p99Ms: quantileSorted(sorted, 0.99) / 1e6,
      meanMs: this.windowCompleted === 0 ? NaN : this.windowSumNs / this.windowCompleted / 1e6,
      clientBps,
    };
  }

  /**
   * A client's bit rate over the window (module header "Conformance"): (bytes of the requests completed in
   * the window + bytes so far of the one in progress) × 8 / (their client time: max(response time, pacing
   * time) each, and max(age, pacing time of its bytes so far) for the one in progress), so never above
   * the target. A client that completed none and is waiting out its
   * pacing delay is at its target rate by construction.
   */
  clientRateBps(c: WebClient): number {
    let b = c.rateBytes;
    let t = c.rateNs;
    if (c.busy) {
      const sofar = c.clientRx - (c.responseEnd - c.responseBytes);
      const age = this.sim.now - c.startNs;
      const paced = (sofar * 8e9) / this.params.clientTargetBps;
      b += sofar;
      t += age > paced ? age : paced;
    }
    if (t === 0) return this.params.clientTargetBps;
    return (b * 8e9) / t;
  }

  /** Draws the kind and the response size of a request. */
  private draw(c: WebClient): void {
    const p = this.params;
    const rng = this.rng;
    let kind: WebRequestKind = 'static';
    if (rng.next() < p.dynamicShare) {
      const u = rng.next();
      kind = u < p.postShareOfDynamic ? 'post' : u < p.postShareOfDynamic + p.cgiShareOfDynamic ? 'cgi' : 'dynamic';
    }
    c.kind = kind;
    c.responseBytes = kind === 'post' ? p.postResponseBytes : drawFileBytes(rng);
  }

  private issue(c: WebClient): void {
    this.draw(c);
    const p = this.params;
    const reqBytes = p.requestBytes + (c.kind === 'post' ? p.postBodyBytes : 0);
    c.busy = true;
    c.startNs = this.sim.now;
    c.responseEnd += c.responseBytes;
    this.issued++;
    this.issuedByKind[c.kind]++;
    c.requestEnd = (c.requestEnd < 0 ? c.serverRx : c.requestEnd) + reqBytes;
    c.toServer.write(reqBytes);
  }

  private serverReceived(c: WebClient, bytes: number): void {
    c.serverRx += bytes;
    if (c.requestEnd >= 0 && c.serverRx >= c.requestEnd) {
      c.requestEnd = -1;
      this.vcpu.runThen(this.requestCpuNs(c.kind), this.respondFn, c, false, 'web');
    }
  }

  private respond(c: WebClient): void {
    c.toClient.write(c.responseBytes);
  }

  private clientReceived(c: WebClient, bytes: number): void {
    c.clientRx += bytes;
    c.windowBytes += bytes;
    if (!c.busy || c.clientRx < c.responseEnd) return;
    const now = this.sim.now;
    const rtNs = now - c.startNs;
    c.busy = false;
    if (rtNs > this.params.timeoutNs) {
      this.failed++;
      this.windowFailed++;
    } else {
      this.completed++;
      this.windowCompleted++;
      this.windowSumNs += rtNs;
      this.responseNs.push(rtNs);
    }
    const paceNs = Math.ceil((c.responseBytes * 8e9) / this.params.clientTargetBps);
    c.rateBytes += c.responseBytes;
    c.rateNs += rtNs > paceNs ? rtNs : paceNs;
    const next = c.startNs + paceNs;
    if (next > now) this.sim.scheduleAt(next, this.issueFn, c);
    else this.issue(c);
  }

  /** Throws if issued ≠ completed + in flight + failed. */
  checkConservation(): void {
    const f = this.inFlight;
    if (this.issued !== this.completed + f + this.failed)
      throw new Error(
        `WebWorkload: request conservation violated: issued ${this.issued} ≠ completed ${this.completed} + ` +
          `in flight ${f} + failed ${this.failed}`,
      );
    let byKind = 0;
    for (const k of KIND_NAMES) byKind += this.issuedByKind[k];
    if (byKind !== this.issued) throw new Error(`WebWorkload: issued by kind ${byKind} ≠ issued ${this.issued}`);
  }
}

/** Type-7 quantile (Hyndman & Fan 1996) of an ascending array; NaN when empty. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

const ZIPF_WEIGHTS = SIZE_BY_RANK.map((_m, r) => 1 / (r + 1));
const ZIPF_TOTAL = ZIPF_WEIGHTS.reduce((a, b) => a + b, 0);

/** The size of one file drawn from the SPECweb99-like file set (module header), bytes. */
export function drawFileBytes(rng: Rng): number {
  let u = rng.next();
  let cls: (typeof WEB_FILE_CLASSES)[number] = WEB_FILE_CLASSES[
    WEB_FILE_CLASSES.length - 1
  ] as (typeof WEB_FILE_CLASSES)[number];
  for (const k of WEB_FILE_CLASSES) {
    if (u < k.share) {
      cls = k;
      break;
    }
    u -= k.share;
  }
  let v = rng.next() * ZIPF_TOTAL;
  for (let r = 0; r < SIZE_BY_RANK.length; r++) {
    v -= ZIPF_WEIGHTS[r] as number;
    if (v < 0) return (SIZE_BY_RANK[r] as number) * cls.baseBytes;
  }
  return (SIZE_BY_RANK[SIZE_BY_RANK.length - 1] as number) * cls.baseBytes;
}

/** The mean response of a static GET under the file set, bytes (exact, from the distribution). */
export function meanFileBytes(): number {
  let perBase = 0;
  for (let r = 0; r < SIZE_BY_RANK.length; r++)
    perBase += ((ZIPF_WEIGHTS[r] as number) / ZIPF_TOTAL) * (SIZE_BY_RANK[r] as number);
  let m = 0;
  for (const k of WEB_FILE_CLASSES) m += k.share * k.baseBytes * perBase;
  return m;
}

/** One probe of the score search: run the workload with `clients` clients, return its window. */
export type WebProbe = (clients: number) => WebWindow;

export interface WebScoreResult {
  /** Conformant clients at the largest passing client count (0 if none passes). */
  readonly score: number;
  /** The largest client count that passed (0 if none). */
  readonly passingClients: number;
  /** Every probe, in the order run. */
  readonly probes: readonly { readonly clients: number; readonly conformant: number; readonly pass: boolean }[];
}

/**
 * The standard search (module header): bisection over client count in [1, maxClients] for the largest
 * count whose conformant share is at least `conformantShare`; each probe is a fresh run.
 */
export function findWebScore(
  probe: WebProbe,
  maxClients: number,
  conformantShare: number = WEB_DEFAULTS.conformantShare,
): WebScoreResult {
  const where = 'findWebScore';
  checkInt(where, 'maxClients', maxClients, 1, 4096);
  checkNumber(where, 'conformantShare', conformantShare, 0, 1);
  const probes: { clients: number; conformant: number; pass: boolean }[] = [];
  const conformantAt = new Map<number, number>();
  const run = (n: number): boolean => {
    const w = probe(n);
    const pass = w.conformantClients >= conformantShare * n;
    probes.push({ clients: n, conformant: w.conformantClients, pass });
    conformantAt.set(n, w.conformantClients);
    return pass;
  };
  let lo = 0; // largest known passing (0: none)
  let hi = maxClients + 1; // smallest known failing
  if (run(maxClients)) lo = maxClients;
  else hi = maxClients;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (run(mid)) lo = mid;
    else hi = mid;
  }
  return { score: lo === 0 ? 0 : (conformantAt.get(lo) ?? 0), passingClients: lo, probes };
}
