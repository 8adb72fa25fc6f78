// Turns what ssh2 and the socket layer throw while connecting into one clear SshError per cause,
// each naming the node and the address, so the owner knows what to fix.
import { SshError } from './types.js';

export interface Endpoint {
  node: string;
  address: string;
  port: number;
  user: string;
}

function where(endpoint: Endpoint): string {
  return `${endpoint.user}@${endpoint.address}:${endpoint.port}`;
}

function detail(error: unknown): { code: string; message: string; level: string } {
  if (error && typeof error === 'object') {
    const record = error as { code?: unknown; message?: unknown; level?: unknown };
    return {
      code: typeof record.code === 'string' ? record.code : '',
      message: typeof record.message === 'string' ? record.message : String(error),
      level: typeof record.level === 'string' ? record.level : '',
    };
  }
  return { code: '', message: String(error), level: '' };
}

export function classifyConnectError(endpoint: Endpoint, error: unknown, readyTimeoutMs: number): SshError {
  if (error instanceof SshError) return error;
  const { code, message, level } = detail(error);
  const at = where(endpoint);
  const { node } = endpoint;

  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new SshError(node, 'unreachable', `cannot resolve the address ${endpoint.address} (${code}); check the node's address`);
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL' || code === 'EHOSTDOWN') {
    return new SshError(node, 'unreachable', `${endpoint.address} is unreachable (${code}); check the address and the network`);
  }
  if (code === 'ECONNREFUSED') {
    return new SshError(node, 'refused', `connection to ${at} refused: no SSH server listening on port ${endpoint.port}?`);
  }
  if (code === 'ETIMEDOUT' || level === 'client-timeout' || /timed out/i.test(message)) {
    return new SshError(
      node,
      'timeout',
      `no SSH handshake with ${at} within ${Math.round(readyTimeoutMs / 1000)} s (a firewall dropping packets, or a frozen server?)`,
    );
  }
  if (level === 'client-authentication' || /All configured authentication methods failed/i.test(message)) {
    return new SshError(
      node,
      'auth',
      `${at} rejected our key(s): all authentication methods failed (is the public key in ~${endpoint.user}/.ssh/authorized_keys? is the SSH agent loaded?)`,
    );
  }
  if (/no matching host key|host key format|Unsupported algorithm|no matching key exchange|no matching cipher/i.test(message)) {
    return new SshError(node, 'unsupported-key', `${at}: no common algorithm with the server (${message})`);
  }
  if (/Connection lost before handshake|ECONNRESET|EPIPE/i.test(message) || code === 'ECONNRESET' || code === 'EPIPE') {
    return new SshError(node, 'connection-lost', `${at} closed the connection during the handshake (${message})`);
  }
  return new SshError(node, 'connection-lost', `cannot connect to ${at}: ${message}`);
}
