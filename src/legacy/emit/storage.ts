/** `zfs_dataset` resources from the hypervisor's zfs.datasets, with their Proxmox storage registration. */
import { attr, blank, block, comment, raw, template, type HclItem } from '../hcl-writer.js';
import type { LegacyDataset } from '../model.js';
import { unmodelledComment } from './comments.js';
import type { EmitContext } from './context.js';

export function storageFile(ctx: EmitContext): HclItem[] {
  if (ctx.estate.datasets.length === 0) return [];
  const unmanaged = [...new Set(ctx.estate.datasets.map((d) => d.pool))].filter((p) => !ctx.poolNames.has(p));
  return [
    comment(
      'ZFS datasets and their Proxmox storages, from phoenix_hypervisor_config.json zfs.datasets.',
      ...(unmanaged.length > 0 ? [`The pools ${unmanaged.join(', ')} are not declared in zfs.pools: they must exist on the node.`] : ['Their names reference the zfs_pool resources (host.hcl), so each pool exists first.']),
    ),
    blank,
    ...ctx.estate.datasets.flatMap((d) => [datasetResource(ctx, d), blank]),
  ];
}

function datasetResource(ctx: EmitContext, dataset: LegacyDataset): HclItem {
  const pool = ctx.poolNames.get(dataset.pool);
  const body: HclItem[] = [attr('name', pool ? template(raw(`zfs_pool.${pool}.name`), `/${dataset.name}`) : `${dataset.pool}/${dataset.name}`)];
  // The legacy setup mounts every dataset at /POOL/NAME explicitly.
  const properties = { mountpoint: `/${dataset.pool}/${dataset.name}`, ...dataset.properties };
  body.push(attr('properties', properties));
  if (dataset.storage) {
    body.push(
      block('storage', [], [
        attr('id', dataset.storage.id),
        attr('type', dataset.storage.type),
        ...(dataset.storage.content.length > 0 ? [attr('content', dataset.storage.content)] : []),
      ]),
    );
  }
  if (dataset.unregisteredStorage) {
    const { id, storageClass } = dataset.unregisteredStorage;
    body.push(
      comment(
        `storage_class = "${storageClass}": not registered as Proxmox storage "${id}" (the legacy zfs setup registered only "direct" datasets;`,
        'versions from 2025-10-20 on register every dataset: add a storage block if yours did).',
      ),
    );
  }
  body.push(...unmodelledComment(dataset.unmodelled, ctx.secrets, dataset.location));
  return block('resource', ['zfs_dataset', ctx.datasetNames.get(dataset)!], body);
}
