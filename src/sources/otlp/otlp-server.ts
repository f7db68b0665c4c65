/** Default limit on one export request's body or message, as sent and once inflated. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** A running receiver, as returned by startOtlpHttpServer / startOtlpGrpcServer. */
export interface OtlpServer {
  /** The bound port: the one asked for, or the one the OS chose for port 0. */
  port: number;
  close(): Promise<void>;
}

/** `host:port` as written in a URL, brackets around an IPv6 address. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The Error a receiver throws when it cannot bind, naming what, where and what to do. */
export function bindError(receiver: string, host: string, port: number, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const inUse = /EADDRINUSE|address already in use|No address added/i.test(reason);
  const hint = inUse
    ? 'another process is listening there; stop it or choose another port'
    : 'check the host and port';
  return new Error(`${receiver} cannot listen on ${hostPort(host, port)}: ${reason} (${hint})`, {
    cause,
  });
}
