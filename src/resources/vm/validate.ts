/**
 * Validation of `vm` config with qemu-server's own rules (src/PVE/QemuServer.pm $confdesc,
 * QemuServer/Network.pm $net_fmt and $ipconfig_fmt, QemuServer/Drive.pm slots, QemuServer/PCI.pm
 * $hostpci_fmt), before any host is contacted.
 */
import { isUnknown, type Attrs, type ValueObject } from '../../config/values.js';
import { hostPath, type AttributeDiagnostic, type HostCheckPlan, type ProviderContext } from '../provider.js';
import { num, obj, objList, str } from '../proxmox/attrs.js';
import { Checks } from '../proxmox/checks.js';
import {
  ADDRESS_LIST, BRIDGE_ID, DISK_SIZE, DNS_NAME, IPV4, IPV4_CONFIG, IPV6, IPV6_CONFIG, MAC_ADDR, PROPERTY_VALUE,
  SNAPSHOT_NAME, STORAGE_ID, VOLUME_OR_PATH,
} from '../proxmox/formats.js';
import { parsePropertyString } from '../proxmox/property-string.js';
import { SSH_PUBLIC_KEYS } from '../proxmox/ssh-keys.js';
import { checkGuestCommon, GUEST_MULTILINE } from '../proxmox/validate-guest.js';
import { checkCloneSourceOnHost } from '../proxmox/clone-source.js';
import { checkMachine } from './machine.js';
import { VM_DISK_SLOT, VM_NIC_MODELS } from './schema.js';

/** qemu-server QemuServer.pm scsihw enum. */
const SCSI_CONTROLLERS = ['lsi', 'lsi53c810', 'virtio-scsi-pci', 'virtio-scsi-single', 'megasas', 'pvscsi'];
/** qemu-server QemuServer.pm $MAX_NETS, $MAX_HOSTPCI_DEVICES. */
const MAX_NETS = 32;
const MAX_HOSTPCI = 16;

export function validateVm(attrs: Attrs): AttributeDiagnostic[] {
  const c = new Checks();
  checkGuestCommon(c, attrs);
  c.controlCharacters(attrs, GUEST_MULTILINE);
  c.string(['name'], attrs.name, DNS_NAME);
  const clone = obj(attrs, 'clone');
  if (clone) {
    c.string(['clone', 'snapshot'], clone.snapshot, SNAPSHOT_NAME);
    c.string(['clone', 'storage'], clone.storage, STORAGE_ID);
  }
  c.integer(['cores'], attrs.cores, 1);
  c.integer(['sockets'], attrs.sockets, 1);
  c.integer(['memory'], attrs.memory, 16);
  // `cpu` is the cputype of the pve-vm-cpu-conf property string (QemuServer/CPUConfig.pm): one model name.
  c.string(['cpu'], attrs.cpu, PROPERTY_VALUE);
  c.oneOf(['scsihw'], attrs.scsihw, SCSI_CONTROLLERS);
  checkDisks(c, attrs);
  checkNetworks(c, attrs);
  checkCloudInit(c, obj(attrs, 'cloud_init'));
  checkHostPci(c, attrs);
  checkMachine(c, attrs);
  return c.diagnostics;
}

function checkDisks(c: Checks, attrs: Attrs): void {
  const seen = new Set<string>();
  objList(attrs, 'disks').forEach((disk, i) => {
    const at = (key: string) => ['disks', String(i), key];
    const slot = str(disk, 'slot');
    if (slot !== undefined && !VM_DISK_SLOT.test(slot)) {
      c.reject(at('slot'), slot, 'property is not defined in schema and the schema does not allow additional properties', 'ide0-ide3, sata0-sata5, scsi0-scsi30 or virtio0-virtio15');
    } else if (slot !== undefined && seen.has(slot)) {
      c.error(at('slot'), `Duplicate disk slot "${slot}"`, 'Each disk needs its own slot.', slot);
    }
    if (slot !== undefined) seen.add(slot);
    c.string(at('storage'), disk.storage, STORAGE_ID);
    c.string(at('size'), disk.size, DISK_SIZE);
    // import-from goes into the drive's property string: a volume ID or an absolute path, no ",".
    c.string(at('import_from'), disk.import_from, VOLUME_OR_PATH);
  });
}

function checkNetworks(c: Checks, attrs: Attrs): void {
  if (isUnknown(attrs.network)) return;
  const nics = objList(attrs, 'network');
  if (nics.length > MAX_NETS) c.error(['network'], 'Too many network interfaces', `Proxmox supports net0 to net${MAX_NETS - 1}.`);
  nics.forEach((nic, i) => {
    const at = (key: string) => ['network', String(i), key];
    c.oneOf(at('model'), nic.model, VM_NIC_MODELS);
    c.string(at('bridge'), nic.bridge, BRIDGE_ID);
    c.string(at('hwaddr'), nic.hwaddr, MAC_ADDR);
    c.integer(at('tag'), nic.tag, 1, 4094);
    c.integer(at('mtu'), nic.mtu, 1, 65520);
  });
}

/** $ipconfig_fmt keys and their formats; `gw` requires `ip` and `gw6` requires `ip6` (parse_ipconfig). */
const IPCONFIG_KEYS = { ip: IPV4_CONFIG, gw: IPV4, ip6: IPV6_CONFIG, gw6: IPV6 } as const;

function checkCloudInit(c: Checks, cloudInit: ValueObject | undefined): void {
  if (!cloudInit) return;
  c.string(['cloud_init', 'ssh_public_keys'], cloudInit.ssh_public_keys, SSH_PUBLIC_KEYS);
  c.string(['cloud_init', 'nameserver'], cloudInit.nameserver, ADDRESS_LIST);
  const list = cloudInit.ipconfig;
  if (!Array.isArray(list)) return;
  list.forEach((text, i) => {
    if (typeof text !== 'string') return;
    const path = ['cloud_init', 'ipconfig', String(i)];
    const parsed = parsePropertyString(text);
    for (const [key, value] of parsed) {
      const fmt = IPCONFIG_KEYS[key as keyof typeof IPCONFIG_KEYS];
      if (!fmt) {
        c.reject(path, text, `ipconfig${i}.${key}: property is not defined in schema and the schema does not allow additional properties`, 'the keys ip, gw, ip6 and gw6, e.g. "ip=10.0.0.5/24,gw=10.0.0.1"');
        continue;
      }
      const problem = fmt.problem(value);
      if (problem) c.reject(path, text, `ipconfig${i}.${key}: ${problem}`, `for ${key} ${fmt.accepts}`);
    }
    if (parsed.has('gw') && !parsed.has('ip')) c.reject(path, text, 'gateway specified without specifying an IP address', 'gw only together with ip');
    if (parsed.has('gw6') && !parsed.has('ip6')) c.reject(path, text, 'IPv6 gateway specified without specifying an IPv6 address', 'gw6 only together with ip6');
  });
}

// qemu-server QemuServer/PCI.pm $PCIRE and $hostpci_fmt.
const PCI_ID = /^(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?$/i;
const HOSTPCI_KEYS: Record<string, (v: string) => boolean> = {
  host: (v) => v.split(';').every((id) => PCI_ID.test(id)),
  mapping: (v) => /^[a-z][a-z0-9_-]+$/i.test(v),
  rombar: isPveBool,
  romfile: (v) => /^[^,;]+$/.test(v),
  pcie: isPveBool,
  'x-vga': isPveBool,
  'legacy-igd': isPveBool,
  mdev: (v) => /^[^/.:]+$/.test(v),
  'vendor-id': (v) => /^0x[0-9a-f]{4}$/i.test(v),
  'device-id': (v) => /^0x[0-9a-f]{4}$/i.test(v),
  'sub-vendor-id': (v) => /^0x[0-9a-f]{4}$/i.test(v),
  'sub-device-id': (v) => /^0x[0-9a-f]{4}$/i.test(v),
  driver: (v) => v === 'vfio' || v === 'keep',
};

function isPveBool(v: string): boolean {
  return /^(?:0|1|yes|no|on|off|true|false)$/i.test(v);
}

function checkHostPci(c: Checks, attrs: Attrs): void {
  const list = attrs.hostpci;
  if (!Array.isArray(list)) return;
  if (list.length > MAX_HOSTPCI) c.error(['hostpci'], 'Too many PCI devices', `Proxmox supports hostpci0 to hostpci${MAX_HOSTPCI - 1}.`);
  list.forEach((text, i) => {
    if (typeof text !== 'string') return;
    const parsed = parsePropertyString(text, 'host');
    const accepts = 'a PCI ID such as "0000:01:00" or "01:00.0" (several joined with ";") or "mapping=NAME", then pcie, x-vga, rombar... e.g. "0000:01:00,pcie=1"';
    for (const [key, value] of parsed) {
      const valid = HOSTPCI_KEYS[key];
      if (!valid) c.reject(['hostpci', String(i)], text, `hostpci${i}.${key}: property is not defined in schema and the schema does not allow additional properties`, accepts);
      else if (!valid(value)) c.reject(['hostpci', String(i)], text, `hostpci${i}.${key}: invalid format - value '${value}' does not match`, accepts);
    }
    if (!parsed.has('host') && !parsed.has('mapping')) c.reject(['hostpci', String(i)], text, 'either \'host\' or \'mapping\' must be set.', accepts);
  });
}

/**
 * An absolute `import_from` path must be a file (or block device) on the node: qemu-server resolves it
 * with pve-storage abs_filesystem_path and fails the create task with "can't find file" otherwise.
 */
export async function checkVmOnHost(ctx: ProviderContext, configured: Attrs, plan: HostCheckPlan): Promise<AttributeDiagnostic[]> {
  const node = ctx.node;
  if (!node) return [];
  const cloneSource = checkCloneSourceOnHost(ctx, configured, 'vm', plan);
  // The image may come from a download this plan makes first.
  if (plan.pendingDependencies) return cloneSource;
  const checks = objList(configured, 'disks').map(async (disk, i): Promise<AttributeDiagnostic[]> => {
    const source = str(disk, 'import_from');
    if (source === undefined || !source.startsWith('/') || VOLUME_OR_PATH.problem(source) !== undefined) return [];
    const result = await node.run(['stat', '-L', '-c', '%F', hostPath(node, source)], { allowFailure: true });
    const kind = result.stdout.trim();
    if (result.exitCode === 0 && ['regular file', 'regular empty file', 'block special file'].includes(kind)) return [];
    return [
      {
        severity: 'error',
        summary: `Image to import not found on node ${node.name}`,
        detail: `"${source}" is not a file on ${node.name} (qm would fail with "can't find file '${source}'"). Download the image there first, or correct the path.`,
        attribute: ['disks', String(i), 'import_from'],
        value: source,
      },
    ];
  });
  return [...(await cloneSource), ...(await Promise.all(checks)).flat()];
}
