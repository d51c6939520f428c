// ttcp benchmark (issue 10, "Speed"): one bulk TCP stream at 1 Gb/s, MTU 1500, from a guest domain
// through its VIF's transmit ring, the back end (round robin, VFR) and the NIC to a client machine,
// and its ACKs back through the NIC, the VFR and the page-flip receive path — every packet simulated.
// Reports simSecondsPerWallSecond (simulated seconds per second of wall time) and packetsPerSec
// (packets sent by either endpoint, data and ACKs, per second of wall time). Run by bench/engine.ts
// (`npm run bench -- --json`, key `ttcp`) or alone: `node dist/bench/ttcp.js [--quick]`.
//
// The scenario (bench values, not calibrated): the calibrated host defaults (one CPU, Xen 1.0 BVT, the
// back end in the hypervisor, the timer tick), event channels, one guest with the xen profile, the
// network's defaults (NIC at 1 Gb/s, MTU 1500), a client with no CPU model; the guest writes without end
// into a 128 kB socket buffer. After a warm-up of 0.2 simulated s, three windows of `windowSimS`
// simulated seconds are timed; the best is reported (with its CPU-time rate, steadier on a shared
// machine) together with the stream's goodput. Packet conservation and the pool are checked at the end.
import { Simulation } from '../src/sim/index.js';
import { EventChannels } from '../src/models/events/event-channels.js';
import { Host } from '../src/models/host/host.js';
import { Network } from '../src/models/net/network.js';
import { ipv4 } from '../src/models/net/packet.js';
import { connectTcp } from '../src/models/net/tcp-net.js';

export interface TtcpBenchResult {
  readonly simSecondsPerWallSecond: number;
  readonly simSecondsPerCpuSecond: number;
  readonly packetsPerSec: number;
  /** Packets (data and ACKs) per simulated second. */
  readonly simPacketsPerSimSec: number;
  /** The stream's goodput in the best window, Mb/s. */
  readonly goodputMbps: number;
  readonly windowSimS: number;
}

export function ttcpBench(scale: number): TtcpBenchResult {
  const windowSimS = scale < 1 ? 0.3 : 2;
  const sim = new Simulation();
  const host = new Host(sim, {});
  const net = new Network(sim, { host, channels: new EventChannels(host) });
  const d = host.control.createDomain({ name: 'ttcp' });
  host.control.attachDevice(d.id, 'vif', { addr: ipv4('10.0.0.1') });
  const guest = net.endpoint(d.id);
  const client = net.addRemoteHost({ name: 'client', addr: ipv4('192.168.0.2') });
  const conn = connectTcp(sim, guest, client);
  const tx = conn.client;
  const pump = (): void => {
    while (tx.write(1 << 20) > 0);
  };
  tx.onWritable = pump;
  pump();
  const sentPackets = (): number => net.counters.sent;
  let t = 200_000_000;
  sim.run(t);
  let best = 0;
  let bestCpu = 0;
  let packets = 0;
  let goodput = 0;
  for (let r = 0; r < 3; r++) {
    const n0 = sentPackets();
    const b0 = conn.server.stats.bytesDelivered;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    t += windowSimS * 1e9;
    sim.run(t);
    const wallS = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const rate = windowSimS / wallS;
    if (rate > best) {
      best = rate;
      bestCpu = windowSimS / ((c.user + c.system) / 1e6);
      packets = sentPackets() - n0;
      goodput = ((conn.server.stats.bytesDelivered - b0) * 8) / windowSimS / 1e6;
    }
  }
  net.checkConservation();
  return {
    simSecondsPerWallSecond: best,
    simSecondsPerCpuSecond: bestCpu,
    packetsPerSec: (packets / windowSimS) * best,
    simPacketsPerSimSec: packets / windowSimS,
    goodputMbps: goodput,
    windowSimS,
  };
}

if (process.argv[1] !== undefined && /ttcp\.js$/.test(process.argv[1])) {
  console.log(JSON.stringify(ttcpBench(process.argv.includes('--quick') ? 0.1 : 1)));
}
