/**
 * The CPU models and VM-specific CPU flags qemu-server accepts for `cpu` (QemuServer/CPUConfig.pm
 * validate_vm_cpu_conf): a built-in model or a `custom-` one, flags only from CPUFlags.pm's VM-specific set.
 */

/**
 * CPUConfig.pm validate_vm_cpu_conf accepts any model of get_all_cpu_models (initialize_cpu_models: the x86_64
 * and aarch64 lists merged, plus `host`) or of $builtin_models_by_arch (the x86-64-vN levels).
 */
export const CPU_MODELS: readonly string[] = [
  '486', 'pentium', 'pentium2', 'pentium3', 'coreduo', 'core2duo', 'Conroe', 'Penryn', 'Nehalem', 'Nehalem-IBRS',
  'Westmere', 'Westmere-IBRS', 'SandyBridge', 'SandyBridge-IBRS', 'IvyBridge', 'IvyBridge-IBRS', 'Haswell',
  'Haswell-IBRS', 'Haswell-noTSX', 'Haswell-noTSX-IBRS', 'Broadwell', 'Broadwell-IBRS', 'Broadwell-noTSX',
  'Broadwell-noTSX-IBRS', 'Skylake-Client', 'Skylake-Client-IBRS', 'Skylake-Client-noTSX-IBRS', 'Skylake-Client-v4',
  'Skylake-Server', 'Skylake-Server-IBRS', 'Skylake-Server-noTSX-IBRS', 'Skylake-Server-v4', 'Skylake-Server-v5',
  'Cascadelake-Server', 'Cascadelake-Server-v2', 'Cascadelake-Server-noTSX', 'Cascadelake-Server-v4',
  'Cascadelake-Server-v5', 'Cooperlake', 'Cooperlake-v2', 'KnightsMill', 'Icelake-Client', 'Icelake-Client-noTSX',
  'Icelake-Server', 'Icelake-Server-noTSX', 'Icelake-Server-v3', 'Icelake-Server-v4', 'Icelake-Server-v5',
  'Icelake-Server-v6', 'Icelake-Server-v7', 'SapphireRapids', 'SapphireRapids-v2', 'SapphireRapids-v3',
  'SapphireRapids-v4', 'GraniteRapids', 'GraniteRapids-v2', 'GraniteRapids-v3', 'SierraForest', 'SierraForest-v2',
  'SierraForest-v3', 'ClearwaterForest', 'athlon', 'phenom', 'Opteron_G1', 'Opteron_G2', 'Opteron_G3', 'Opteron_G4',
  'Opteron_G5', 'EPYC', 'EPYC-IBPB', 'EPYC-v3', 'EPYC-v4', 'EPYC-v5', 'EPYC-Rome', 'EPYC-Rome-v2', 'EPYC-Rome-v3',
  'EPYC-Rome-v4', 'EPYC-Rome-v5', 'EPYC-Milan', 'EPYC-Milan-v2', 'EPYC-Milan-v3', 'EPYC-Genoa', 'EPYC-Genoa-v2',
  'EPYC-Turin', 'kvm32', 'kvm64', 'qemu32', 'qemu64', 'max', 'host',
  'a64fx', 'cortex-a35', 'cortex-a53', 'cortex-a55', 'cortex-a57', 'cortex-a710', 'cortex-a72', 'cortex-a76', 'neoverse-n1',
  'neoverse-n2', 'neoverse-v1',
  'x86-64-v2', 'x86-64-v2-AES', 'x86-64-v3', 'x86-64-v4',
];

/** CPUFlags.pm $supported_vm_specific_cpu_flags_by_arch (x86_64), sorted as supported_cpu_flags_names prints them. */
export const CPU_FLAGS: readonly string[] = [
  'aes', 'amd-no-ssb', 'amd-ssbd', 'hv-evmcs', 'hv-tlbflush', 'ibpb', 'md-clear', 'nested-virt', 'pcid', 'pdpe1gb',
  'spec-ctrl', 'ssbd', 'virt-ssbd',
];

const MODELS = new Set(CPU_MODELS);

/** validate_vm_cpu_conf's message for a model, or undefined when accepted (custom models are checked on the node). */
export function cpuModelProblem(model: string): string | undefined {
  if (/^custom-/.test(model) || MODELS.has(model)) return undefined;
  return `Built-in cputype '${model}' is not defined (missing 'custom-' prefix?)`;
}

/** validate_vm_cpu_conf: every flag `+NAME`/`-NAME` from the VM-specific set. */
export function cpuFlagProblem(flag: string): string | undefined {
  const m = /^([+-])(.+)$/.exec(flag);
  if (m && CPU_FLAGS.includes(m[2]!)) return undefined;
  return `VM-specific CPU flags must be a subset of: ${CPU_FLAGS.join(', ')}`;
}
