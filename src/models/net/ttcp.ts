// ttcp: the bulk-transfer benchmark of the paper's Table 4 as a workload on two connected TCP endpoints.
// The transmitter writes `totalBytes` in writes of `writeBytes` (ttcp's -l, default 8192 bytes,
// ttcp.c `buflen = 8 * 1024`) as fast as its socket's send buffer takes them, then closes; the receiver
// consumes what TCP delivers. Which side is "the machine under test" is the caller's choice: Table 4's
// Tx column has the guest transmit, its Rx column the guest receive.
//
// Measures (Mb/s = 10^6 bits per second; the paper's table does not say which mega it uses: assumption):
//   * receiveMbps: stream bits / (time of the last delivered byte − start) — the rate the data arrived
//     at, what `ttcp -r` reports (its clock starts before the first read and stops at end of stream).
//   * transmitMbps: stream bits / (time the last byte was acknowledged − start). `ttcp -t` stops its
//     clock when the last write returns, up to one send buffer earlier; for transfers much larger than
//     the buffer the two agree.
// Units: bytes, ns, Mb/s.
import type { Simulation } from '../../sim/index.js';
import { NET_WORKLOADS } from '../calibration.js';
import { checkInt, rangeFail } from '../validate.js';
import type { TcpEndpoint } from './tcp.js';

export const TTCP_DEFAULTS = {
  /** ttcp.c: buflen = 8 * 1024. */
  writeBytes: NET_WORKLOADS.ttcpWriteBytes.value,
} as const;

export interface TtcpOptions {
  /** Bytes to move, ≥ 1. */
  readonly totalBytes: number;
  /** Bytes per write call; default 8192 (ttcp -l). */
  readonly writeBytes?: number;
}

/** The outcome of one ttcp run. */
export interface TtcpResult {
  readonly bytes: number;
  readonly startNs: number;
  /** When the first byte reached the receiving application. */
  readonly firstByteNs: number;
  /** When the last byte reached the receiving application. */
  readonly receiverDoneNs: number;
  /** When the transmitter saw the last byte acknowledged. */
  readonly senderDoneNs: number;
  readonly receiveMbps: number;
  readonly transmitMbps: number;
  readonly writeCalls: number;
}

export class Ttcp {
  readonly totalBytes: number;
  readonly writeBytes: number;
  /** Set when both ends are done. */
  result: TtcpResult | null = null;
  onDone: ((r: TtcpResult) => void) | null = null;
  /** The receiving application has all the bytes (before the transmitter has seen the last ACK). */
  onReceived: (() => void) | null = null;
  /** Bytes the transmitter has handed to its socket. */
  bytesWritten = 0;
  /** Bytes the receiving application has consumed. */
  bytesReceived = 0;
  writeCalls = 0;

  private startNs = -1;
  private firstByteNs = -1;
  private receiverDoneNs = -1;
  private senderDoneNs = -1;
  /** What is left of the current write call. */
  private pendingWrite = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly transmitter: TcpEndpoint,
    private readonly receiver: TcpEndpoint,
    options: TtcpOptions,
  ) {
    this.totalBytes = checkInt('Ttcp', 'totalBytes', options.totalBytes, 1);
    this.writeBytes = checkInt('Ttcp', 'writeBytes', options.writeBytes ?? TTCP_DEFAULTS.writeBytes, 1);
    if (transmitter === receiver)
      rangeFail('Ttcp', 'receiver', 'an endpoint other than the transmitter', receiver.name);
  }

  /** Starts the transfer now (once). */
  start(): void {
    if (this.startNs >= 0) throw new Error('Ttcp: started twice');
    this.startNs = this.sim.now;
    const tx = this.transmitter;
    const baseAcked = tx.ackedBytes;
    const previous = this.receiver.onDeliver; // kept: e.g. a checker of the delivered stream
    this.receiver.onDeliver = (offset, bytes) => {
      previous?.(offset, bytes);
      if (this.firstByteNs < 0) this.firstByteNs = this.sim.now;
      this.bytesReceived += bytes;
      if (this.bytesReceived >= this.totalBytes && this.receiverDoneNs < 0) {
        this.receiverDoneNs = this.sim.now;
        this.onReceived?.();
        this.finish();
      }
    };
    tx.onAllAcked = () => {
      if (tx.ackedBytes - baseAcked >= this.totalBytes && this.senderDoneNs < 0) {
        this.senderDoneNs = this.sim.now;
        this.finish();
      }
    };
    tx.onWritable = () => this.pump();
    this.pump();
  }

  private pump(): void {
    const tx = this.transmitter;
    for (;;) {
      if (this.pendingWrite === 0) {
        const left = this.totalBytes - this.bytesWritten;
        if (left === 0) {
          tx.close();
          return;
        }
        this.pendingWrite = left < this.writeBytes ? left : this.writeBytes;
        this.writeCalls++;
      }
      const n = tx.write(this.pendingWrite);
      this.pendingWrite -= n;
      this.bytesWritten += n;
      if (this.pendingWrite > 0) return; // blocked: onWritable resumes the call
    }
  }

  private finish(): void {
    if (this.receiverDoneNs < 0 || this.senderDoneNs < 0 || this.result !== null) return;
    const bits = this.totalBytes * 8;
    const r: TtcpResult = {
      bytes: this.totalBytes,
      startNs: this.startNs,
      firstByteNs: this.firstByteNs,
      receiverDoneNs: this.receiverDoneNs,
      senderDoneNs: this.senderDoneNs,
      receiveMbps: (bits * 1e3) / (this.receiverDoneNs - this.startNs),
      transmitMbps: (bits * 1e3) / (this.senderDoneNs - this.startNs),
      writeCalls: this.writeCalls,
    };
    this.result = r;
    this.onDone?.(r);
  }
}
