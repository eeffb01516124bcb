/**
 * cidrhost and cidrsubnet for IPv4 and IPv6. Addresses are BigInts so IPv6 arithmetic is exact.
 */
import { FunctionError, p, type FunctionTable } from './types.js';

interface Prefix {
  /** Network address (host bits cleared). */
  network: bigint;
  length: number;
  /** 32 or 128. */
  bits: number;
}

export const networkFunctions: FunctionTable = {
  cidrhost: {
    params: [p('prefix', 'string'), p('hostnum', 'number')],
    impl([prefixText, hostnumValue]) {
      const prefix = parsePrefix(prefixText as string);
      if (typeof prefix === 'string') return new FunctionError(prefix, 0);
      if (!Number.isInteger(hostnumValue)) return new FunctionError('hostnum must be a whole number', 1);
      const hostBits = BigInt(prefix.bits - prefix.length);
      const size = 1n << hostBits;
      let hostnum = BigInt(hostnumValue as number);
      if (hostnum < 0n) hostnum += size;
      if (hostnum < 0n || hostnum >= size) {
        return new FunctionError(`prefix of ${prefix.length} does not accommodate a host numbered ${hostnumValue}`, 1);
      }
      return formatAddress(prefix.network | hostnum, prefix.bits);
    },
  },
  cidrsubnet: {
    params: [p('prefix', 'string'), p('newbits', 'number'), p('netnum', 'number')],
    impl([prefixText, newbitsValue, netnumValue]) {
      const prefix = parsePrefix(prefixText as string);
      if (typeof prefix === 'string') return new FunctionError(prefix, 0);
      const newbits = newbitsValue as number;
      const netnum = netnumValue as number;
      if (!Number.isInteger(newbits) || newbits < 0) return new FunctionError('newbits must be a non-negative whole number', 1);
      if (!Number.isInteger(netnum) || netnum < 0) return new FunctionError('netnum must be a non-negative whole number', 2);
      const length = prefix.length + newbits;
      if (length > prefix.bits) {
        return new FunctionError(`insufficient address space to extend prefix of ${prefix.length} by ${newbits}`, 1);
      }
      if (BigInt(netnum) >= 1n << BigInt(newbits)) {
        return new FunctionError(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`, 2);
      }
      const network = prefix.network | (BigInt(netnum) << BigInt(prefix.bits - length));
      return `${formatAddress(network, prefix.bits)}/${length}`;
    },
  },
};

/** Parses `ADDRESS/LENGTH`; returns an error message on failure. */
export function parsePrefix(text: string): Prefix | string {
  const slash = text.indexOf('/');
  if (slash < 0) return `invalid CIDR address "${text}": no prefix length`;
  const addressText = text.slice(0, slash);
  const lengthText = text.slice(slash + 1);
  const address = addressText.includes(':') ? parseIPv6(addressText) : parseIPv4(addressText);
  if (address === undefined) return `invalid CIDR address "${text}"`;
  const bits = addressText.includes(':') ? 128 : 32;
  if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > bits) return `invalid CIDR address "${text}": bad prefix length`;
  const length = Number(lengthText);
  const hostMask = (1n << BigInt(bits - length)) - 1n;
  return { network: address & ~hostMask, length, bits };
}

function parseIPv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const octet of octets) {
    if (!/^\d{1,3}$/.test(octet) || Number(octet) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(octet));
  }
  return value;
}

function parseIPv6(text: string): bigint | undefined {
  let groups: string[];
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  // An embedded IPv4 tail (::ffff:10.0.0.1) counts as two groups.
  const last = (halves.length === 2 ? tail : head).at(-1);
  if (last?.includes('.')) {
    const v4 = parseIPv4(last);
    if (v4 === undefined) return undefined;
    const replacement = [(v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
    (halves.length === 2 ? tail : head).splice(-1, 1, ...replacement);
  }
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  } else groups = head;
  if (groups.length !== 8) return undefined;
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

function formatAddress(address: bigint, bits: number): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((shift) => ((address >> shift) & 0xffn).toString()).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((address >> BigInt(112 - i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (2+ groups) of zeros, the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
