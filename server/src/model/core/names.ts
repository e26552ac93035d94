// Model layer (pure): the name grammars the API server validates with (apimachinery's
// pkg/util/validation: IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label, IsValidPortName), and
// the port argument of a query (`TCP/80`, `udp/53`, `http`). One home for each: every stage and
// every face asks here. Must not import vscode, LSP, node:* or fs.
import type { Protocol } from '../types';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME = /^[-a-z0-9]{1,15}$/;

/** A DNS label (RFC 1123): lowercase letters, digits and '-', alphanumeric at both ends, at most 63. */
export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && LABEL.test(s);
}

/** Dot-separated DNS-1123 labels, at most 253 characters (most object names). */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && SUBDOMAIN.test(s);
}

/** A DNS-1123 subdomain, or `*.` and one: Ingress hosts and Gateway API hostnames (IsWildcardDNS1123Subdomain). */
export function isWildcardDns1123Subdomain(s: string): boolean {
  return s.startsWith('*.') ? s.length <= 253 && isDns1123Subdomain(s.slice(2)) : isDns1123Subdomain(s);
}

/** A DNS-1035 label: a DNS-1123 label that starts with a letter (Service names). */
export function isDns1035Label(s: string): boolean {
  return s.length <= 63 && LABEL_1035.test(s);
}

/**
 * IANA_SVC_NAME, a container or Service port's name: 1-15 lowercase letters, digits and '-', at least
 * one letter, no '-' at either end and no '--' (IsValidPortName).
 */
export function isPortName(s: string): boolean {
  return PORT_NAME.test(s) && /[a-z]/.test(s) && !s.startsWith('-') && !s.endsWith('-') && !s.includes('--');
}

export interface PortArg {
  protocol: Protocol;
  port: number | string;
}

/**
 * `PROTO/PORT`, `PORT` (TCP) or `PROTO/NAME`, the port a query asks about; the protocol is
 * case-insensitive. Why it is not one when it is not.
 */
export function readPortArg(s: string): PortArg | { problem: string } {
  const m = /^(?:(tcp|udp|sctp)\/)?([^/]+)$/i.exec(s.trim());
  const value = m?.[2] ?? '';
  const protocol = (m?.[1]?.toUpperCase() ?? 'TCP') as Protocol;
  if (/^[0-9]+$/.test(value)) {
    const n = Number(value);
    return n >= 1 && n <= 65535 ? { protocol, port: n } : { problem: 'port out of range 1-65535' };
  }
  return m && isPortName(value) ? { protocol, port: value } : { problem: 'expected PROTO/PORT, e.g. TCP/80, or a port name' };
}
