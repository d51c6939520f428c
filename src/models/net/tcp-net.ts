// TCP over the network's endpoints (endpoint.ts): `connectTcp` opens an established connection between
// two NetEndpoints — a guest domain's stack on a VIF (GuestEndpoint) and a client machine beyond the NIC
// (RemoteHost), or any two — with a TcpEndpoint on each side. Each side transmits with its endpoint's
// `send` (which charges the guest's per-packet and per-byte path cost on its vCPU and puts the packet on
// the VIF's transmit ring, or sends it from the client; bare ACKs and SYNs that TCP sends from its
// receive path or a timer go as urgent — softirq — demand; data always as normal demand, in order: an
// urgent demand overtakes queued normal ones, and data overtaking data would reorder the stream, which
// one socket's transmit queue never does in a real kernel) and receives through a socket bound to its port
// (the network releases the packet when the handler returns: `receiveBorrowed`). Both sides take packets
// from the network's one pool; the MSS follows the network's MTU.
// `VcpuTcpCpu` runs a TcpEndpoint's own protocol costs (TcpCosts) as demand on a vCPU, so that they
// compete with everything else the domain does (urgent demand: the kernel's softirq work).
// By default the connection starts established; `handshake: true` runs SYN, SYN-ACK, ACK through the
// path first (tcp.ts), which a request/response workload that opens a connection per request wants.
// Ports: the server listens on `serverPort` (default 5001, ttcp.c's default port); the client takes an
// ephemeral port from its endpoint. Units: bytes, ns.
import type { NetEndpoint } from './endpoint.js';
import { Protocol } from './packet.js';
import { TcpEndpoint, type TcpCpu, type TcpEndpointOptions } from './tcp.js';
import type { Simulation } from '../../sim/index.js';
import { checkInt, rangeFail } from '../validate.js';

/** ttcp.c: `short port = 5001`. */
export const TTCP_PORT = 5001;

/** Per-side options of a connection (addresses, ports, MTU, pool and transmit come from the endpoints). */
export type TcpSideOptions = Omit<
  TcpEndpointOptions,
  'pool' | 'transmit' | 'localAddr' | 'localPort' | 'remoteAddr' | 'remotePort' | 'mtuBytes' | 'open'
>;

export interface TcpConnectOptions {
  readonly serverPort?: number;
  /** Run the three-way handshake (the client connects at once) instead of starting established. */
  readonly handshake?: boolean;
  readonly client?: TcpSideOptions;
  readonly server?: TcpSideOptions;
}

export interface TcpConnection {
  readonly client: TcpEndpoint;
  readonly server: TcpEndpoint;
  readonly clientPort: number;
  readonly serverPort: number;
  /** Unbinds both sockets (packets still in flight are then dropped by the network as noSocket). */
  close(): void;
}

/** An established TCP connection from `client` to `server` (module header). */
export function connectTcp(
  sim: Simulation,
  client: NetEndpoint,
  server: NetEndpoint,
  options: TcpConnectOptions = {},
): TcpConnection {
  const where = 'connectTcp';
  if (client === server) rangeFail(where, 'server', 'an endpoint other than the client', server.name);
  if (client.pool !== server.pool) rangeFail(where, 'server', "an endpoint of the client's network", server.name);
  const serverPort = checkInt(where, 'serverPort', options.serverPort ?? TTCP_PORT, 1, 65535);
  const clientPort = client.allocatePort();
  const mtuBytes = Math.min(client.mtuBytes, server.mtuBytes);
  const handshake = options.handshake === true;
  const c = new TcpEndpoint(sim, {
    name: `${client.name}:${clientPort}`,
    ...options.client,
    open: handshake ? 'active' : 'established',
    pool: client.pool,
    transmit: (p, fromKernel) => client.send(p, fromKernel && p.payloadBytes === 0),
    localAddr: client.addr,
    localPort: clientPort,
    remoteAddr: server.addr,
    remotePort: serverPort,
    mtuBytes,
  });
  const s = new TcpEndpoint(sim, {
    name: `${server.name}:${serverPort}`,
    ...options.server,
    open: handshake ? 'passive' : 'established',
    pool: server.pool,
    transmit: (p, fromKernel) => server.send(p, fromKernel && p.payloadBytes === 0),
    localAddr: server.addr,
    localPort: serverPort,
    remoteAddr: client.addr,
    remotePort: clientPort,
    mtuBytes,
  });
  client.bind(Protocol.tcp, clientPort, (p) => c.receiveBorrowed(p));
  server.bind(Protocol.tcp, serverPort, (p) => s.receiveBorrowed(p));
  if (handshake) c.connect();
  return {
    client: c,
    server: s,
    clientPort,
    serverPort,
    close: () => {
      client.unbind(Protocol.tcp, clientPort);
      server.unbind(Protocol.tcp, serverPort);
    },
  };
}

/** What VcpuTcpCpu needs of a vCPU (host/vcpu.ts Vcpu.runThen). */
export interface RunThen {
  runThen<T>(cpuNs: number, fn: (arg: T) => void, arg: T, urgent?: boolean, tag?: string | null): void;
}

/** A TcpCpu on a vCPU: each job is urgent demand tagged 'tcp' (module header). */
export class VcpuTcpCpu implements TcpCpu {
  constructor(private readonly vcpu: RunThen) {}

  run<A>(costNs: number, fn: (arg: A) => void, arg: A): void {
    this.vcpu.runThen(Math.round(costNs), fn, arg, true, 'tcp');
  }
}
