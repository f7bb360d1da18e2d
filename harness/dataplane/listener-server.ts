/**
 * A listener's server for its codec: HTTP/1.1 (`HTTP1`), HTTP/2 with prior knowledge (`HTTP2`), or both on one
 * port (`AUTO`: the HTTP/2 connection preface selects HTTP/2, as Envoy's codec detection does). On TLS the
 * configured `alpn_protocols` are advertised and `h2` selects HTTP/2. Every accepted socket is tracked so the
 * listener closes them all when the data plane stops.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  createSecureServer as createHttp2SecureServer, createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse,
  type Http2Session, type Settings,
} from 'node:http2';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { ListenerConfig } from './config-types.ts';
import { tlsServerOptions, verifyPeer } from './tls.ts';

export type DownstreamRequest = IncomingMessage | Http2ServerRequest;
export type DownstreamResponse = ServerResponse | Http2ServerResponse;
export type Serve = (req: DownstreamRequest, res: DownstreamResponse) => void;

export interface ListenerServer {
  server: Server;
  /** Destroys every open downstream connection. */
  closeAll(): void;
}

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** Envoy's HTTP/2 defaults where they differ from Node's, overridden by `http2_protocol_options`. */
function http2Settings(listener: ListenerConfig): Settings {
  const h2 = listener.hcm.http2;
  return {
    maxConcurrentStreams: h2.maxConcurrentStreams ?? 2147483647,
    initialWindowSize: h2.initialWindowSize ?? 268435456,
    headerTableSize: h2.headerTableSize ?? 4096,
  };
}

export function createListenerServer(listener: ListenerConfig, serve: Serve, onConnection: (socket: Socket) => void): ListenerServer {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onConnection(socket);
  };
  const closeAll = (): void => {
    for (const s of sockets) s.destroy();
  };
  const codec = listener.hcm.codec;
  const onSession = (session: Http2Session): void => {
    session.setLocalWindowSize(listener.hcm.http2.initialConnectionWindowSize ?? 268435456);
  };
  if (listener.tls) {
    const options = tlsServerOptions(listener.tls, listener.name);
    const h2 = listener.tls.alpnProtocols.includes('h2') && codec !== 'HTTP1';
    const server = h2
      ? createHttp2SecureServer({ ...options, ALPNProtocols: listener.tls.alpnProtocols, allowHTTP1: codec === 'AUTO', settings: http2Settings(listener) }, serve)
      : createHttpsServer({ ...options, ALPNProtocols: listener.tls.alpnProtocols.filter((p) => p !== 'h2') }, serve);
    if (h2) server.on('session', onSession);
    server.on('connection', track);
    server.on('secureConnection', (socket: TLSSocket) => {
      if (!verifyPeer(socket)) socket.destroy();
    });
    return { server, closeAll };
  }
  if (codec === 'HTTP1') {
    const server = createHttpServer(serve);
    server.on('connection', track);
    return { server, closeAll };
  }
  const h2 = createHttp2Server({ settings: http2Settings(listener) }, serve);
  h2.on('session', onSession);
  if (codec === 'HTTP2') {
    h2.on('connection', track);
    return { server: h2, closeAll };
  }
  const h1 = createHttpServer(serve);
  const server = createNetServer((socket) => {
    // http.Server disables Nagle on its own sockets; this one is ours, and without it every response written
    // in two parts waits for the client's delayed ACK (about 40 ms).
    socket.setNoDelay(true);
    track(socket);
    socket.once('data', (first: Buffer) => {
      const n = Math.min(first.length, H2_PREFACE.length);
      // Both servers read a socket's handle directly and would miss the bytes already read: give them a replaying stream.
      (first.subarray(0, n).equals(H2_PREFACE.subarray(0, n)) ? h2 : h1).emit('connection', replaying(socket, first));
    });
  });
  return { server, closeAll };
}

/** A duplex over `socket` that first yields `first` (already read from it); exposes the socket's addresses. */
function replaying(socket: Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => {
      socket.resume();
    },
    write: (chunk: Buffer, _encoding, callback) => {
      socket.write(chunk, callback);
    },
    final: (callback) => {
      socket.end(callback);
    },
    destroy: (error, callback) => {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  duplex.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.once('end', () => duplex.push(null));
  socket.once('close', () => duplex.destroy());
  socket.once('error', (error) => duplex.destroy(error));
  return Object.assign(duplex, { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort, localAddress: socket.localAddress, localPort: socket.localPort });
}
