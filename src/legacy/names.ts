/** Readable, unique HCL resource names from legacy guest and dataset names. */

/** "Copy-Cuda12.8" → "copy_cuda12_8"; a name that would start with a digit gets `prefix`. */
export function sanitiseName(raw: string, prefix: string): string {
  const base = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (base === '') return prefix;
  return /^[0-9]/.test(base) ? `${prefix}_${base}` : base;
}

/** Hands out names unique within one resource type; a taken name gets the id appended. */
export class NameAllocator {
  private readonly taken = new Map<string, Set<string>>();

  allocate(type: string, wanted: string, disambiguator: string | number): string {
    const used = this.taken.get(type) ?? new Set<string>();
    this.taken.set(type, used);
    let name = wanted;
    if (used.has(name)) name = `${wanted}_${disambiguator}`;
    for (let n = 2; used.has(name); n++) name = `${wanted}_${disambiguator}_${n}`;
    used.add(name);
    return name;
  }
}
