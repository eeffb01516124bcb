/**
 * Resource instance addresses: `type.name`, `type.name[0]`, `type.name["key"]` (Terraform's spelling).
 */

export interface InstanceAddress {
  /** `type.name` */
  resource: string;
  type: string;
  name: string;
  index?: number | string;
}

export function instanceAddress(resource: string, index?: number | string): string {
  if (index === undefined) return resource;
  return typeof index === 'number' ? `${resource}[${index}]` : `${resource}[${JSON.stringify(index)}]`;
}

const ADDRESS = /^([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)(?:\[(\d+|"(?:[^"\\]|\\.)*")\])?$/;

/** Parses an instance or resource address; undefined when it is not one. */
export function parseAddress(address: string): InstanceAddress | undefined {
  const m = ADDRESS.exec(address);
  if (!m) return undefined;
  const [, type, name, rawIndex] = m as unknown as [string, string, string, string | undefined];
  const resource = `${type}.${name}`;
  if (rawIndex === undefined) return { resource, type, name };
  const index = rawIndex.startsWith('"') ? (JSON.parse(rawIndex) as string) : Number(rawIndex);
  return { resource, type, name, index };
}

/** The `type.name` part of an instance address. */
export function resourceOf(address: string): string {
  const bracket = address.indexOf('[');
  return bracket === -1 ? address : address.slice(0, bracket);
}

/** Does `address` fall under `target` (a resource address matches all its instances)? */
export function addressMatches(target: string, address: string): boolean {
  return target === address || (!target.includes('[') && resourceOf(address) === target);
}
