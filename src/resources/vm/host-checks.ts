/**
 * `vm` checks that need the node, run by `plan` for a VM about to be created (never by `validate`): what
 * qemu-server would refuse only once the create runs.
 */
import type { Attrs } from '../../config/values.js';
import { hostPath, type AttributeDiagnostic, type HostCheckPlan, type NodeHandle, type ProviderContext } from '../provider.js';
import { checkCloneSourceOnHost } from '../proxmox/clone-source.js';
import { objList, str } from '../proxmox/attrs.js';
import { VOLUME_OR_PATH } from '../proxmox/formats.js';
import { readStorageFiles } from '../proxmox/storage-files.js';

/**
 * An absolute `import_from` path must be a file (or block device) on the node: qemu-server resolves it
 * with pve-storage abs_filesystem_path and fails the create task with "can't find file" otherwise.
 */
async function checkImportSources(node: NodeHandle, configured: Attrs): Promise<AttributeDiagnostic[]> {
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
  return (await Promise.all(checks)).flat();
}

/**
 * A CD-ROM's ISO volume must exist: qemu-server's create_disks checks the volume ("volume ... does not
 * exist"). One listing per storage (the storage-content API, as download_file reads). An ISO that a
 * `download_file` of this plan provides is unknown here and not checked.
 */
async function checkIsoVolumes(ctx: ProviderContext, node: NodeHandle, configured: Attrs): Promise<AttributeDiagnostic[]> {
  const isos = objList(configured, 'cdrom').flatMap((drive, i) => {
    const file = str(drive, 'file');
    const storage = file === undefined ? undefined : /^([a-z][a-z0-9\-_.]*[a-z0-9]):iso\/.+$/i.exec(file)?.[1];
    return storage === undefined ? [] : [{ i, file: file!, storage }];
  });
  if (isos.length === 0) return [];
  const storages = [...new Set(isos.map((iso) => iso.storage))].sort();
  const load = () => readStorageFiles(node, storages);
  const files = ctx.memo ? await ctx.memo(`storage-files:${node.name}:${storages.join(',')}`, load) : await load();
  return isos
    .filter((iso) => !files.has(iso.file))
    .map((iso) => ({
      severity: 'error' as const,
      summary: `ISO not found on node ${node.name}`,
      detail: `qm would fail with "volume ${iso.file} does not exist". Upload it to storage ${iso.storage} first, or let phoenix download it (\`download_file\` with content = "iso", then \`file = download_file.NAME.volid\`).`,
      attribute: ['cdrom', String(iso.i), 'file'],
      value: iso.file,
    }));
}

/** CPUConfig.pm get_custom_model: a `custom-NAME` model is a section `cpu-model: NAME` of cpu-models.conf. */
async function checkCustomCpuModel(node: NodeHandle, configured: Attrs): Promise<AttributeDiagnostic[]> {
  const model = /^custom-(.+)$/.exec(str(configured, 'cpu') ?? '')?.[1];
  if (model === undefined) return [];
  const result = await node.run(['cat', hostPath(node, '/etc/pve/virtual-guest/cpu-models.conf')], { allowFailure: true });
  const defined = result.exitCode === 0 && result.stdout.split('\n').some((line) => line.trim() === `cpu-model: ${model}`);
  if (defined) return [];
  return [
    {
      severity: 'error',
      summary: `CPU model "custom-${model}" not found on node ${node.name}`,
      detail: `qm would fail with "Custom cputype '${model}' not found": define it in /etc/pve/virtual-guest/cpu-models.conf (Datacenter → Custom CPU models) first, or choose a built-in model.`,
      attribute: ['cpu'],
      value: `custom-${model}`,
    },
  ];
}

export async function checkVmOnHost(ctx: ProviderContext, configured: Attrs, plan: HostCheckPlan): Promise<AttributeDiagnostic[]> {
  const node = ctx.node;
  if (!node || plan.prior) return []; // what a VM update changes is not judged on the node
  // The image or ISO may come from a download this plan makes first: files are judged only when nothing is.
  const files = plan.pendingDependencies ? [] : [checkImportSources(node, configured), checkIsoVolumes(ctx, node, configured)];
  const found = await Promise.all([checkCloneSourceOnHost(ctx, configured, 'vm', plan), ...files, checkCustomCpuModel(node, configured)]);
  return found.flat();
}
