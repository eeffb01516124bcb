/**
 * pveam: the appliance (container template) manager of pve-manager (PVE/CLI/pveam.pm; download is
 * PVE/API2/Nodes.pm apl_download, run as a foreground task whose failure still exits 0).
 * The index (PVE::APLInfo) is the simulated remote's APPLIANCES, with their real-looking locations.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from './core/args.js';
import type { CommandContext } from './core/context.js';
import { dispatch } from './core/dispatch.js';
import { SimError, verificationError } from './core/errors.js';
import { arg } from './core/guest-args.js';
import { STORAGE_ID } from './pvesm.js';
import { findStorage, storageContent } from './storage/config.js';
import { downloadFile, runForegroundTask } from './storage/download.js';
import { APPLIANCE_INDEX_URL, APPLIANCES, digest, fetchRemote } from './storage/remote.js';
import { contentDir, hostFilePath, listVolumes, parseFileVolid } from './storage/volumes.js';

function update(ctx: CommandContext, args: string[]): void {
  parseArgs({ usage: 'pveam update', positionals: [], options: {} }, args);
  ctx.out.line('update successful');
}

function available(ctx: CommandContext, args: string[]): void {
  const parsed = parseArgs(
    { usage: 'pveam available [OPTIONS]', positionals: [], options: { section: { type: 'string', enum: ['system', 'mail', 'turnkeylinux'] } } },
    args,
  );
  if (parsed.options.section && parsed.options.section !== 'system') return;
  for (const template of [...APPLIANCES].sort()) ctx.out.out(`${'system'.padEnd(15)} ${template.padEnd(60)} amd64\n`);
}

function download(ctx: CommandContext, args: string[]): void {
  const usage = 'pveam download <storage> <template>';
  const parsed = parseArgs({ usage, positionals: [arg('storage', STORAGE_ID), arg('template', { type: 'string', maxLength: 255 })], options: {} }, args);
  const template = parsed.positionals.template!;
  // Nodes.pm apl_download: the template must be in the index, the storage enabled and for templates.
  if (!APPLIANCES.includes(template)) throw verificationError({ template: 'no such template' }, usage);
  const storage = findStorage(ctx.env, parsed.positionals.storage!);
  if (!storageContent(storage).has('vztmpl') || storage.props.path === undefined) {
    throw new SimError(`storage '${storage.id}' does not support templates`);
  }
  const location = `${APPLIANCE_INDEX_URL}/${template}`;
  runForegroundTask(ctx, 'download', template, (print) =>
    downloadFile(ctx, print, {
      dest: join(contentDir(ctx.env, storage, 'vztmpl'), template),
      hostDest: hostFilePath(storage, 'vztmpl', template),
      url: location,
      // hash_required with the index's sha512sum.
      checksum: { algorithm: 'sha512', expected: digest('sha512', fetchRemote(ctx.env, location)!) },
    }),
  );
}

function list(ctx: CommandContext, args: string[]): void {
  const parsed = parseArgs({ usage: 'pveam list <storage>', positionals: [arg('storage', STORAGE_ID)], options: {} }, args);
  const storage = findStorage(ctx.env, parsed.positionals.storage!);
  if (!storageContent(storage).has('vztmpl')) throw new SimError('Storage does not support templates!');
  ctx.out.out(`${'NAME'.padEnd(60)} ${'SIZE'.padEnd(6)}\n`);
  for (const volume of listVolumes(ctx.env, storage, 'vztmpl')) {
    ctx.out.out(`${volume.volid.padEnd(60)} ${(volume.size / (1024 * 1024)).toFixed(2)}MB\n`);
  }
}

function remove(ctx: CommandContext, args: string[]): void {
  const parsed = parseArgs({ usage: 'pveam remove <template_path>', positionals: [arg('template_path', { type: 'string', maxLength: 255 })], options: {} }, args);
  const volid = parsed.positionals.template_path!;
  const parts = parseFileVolid(volid);
  if (!parts) throw new SimError(`unable to parse volume ID '${volid}'`);
  if (parts.content !== 'vztmpl') throw new SimError(`unable to use volume ${volid} - content type needs to be 'vztmpl'`);
  const storage = findStorage(ctx.env, parts.storage);
  // pveam.pm remove: a plain `unlink`, its result unchecked — removing a missing template succeeds.
  const file = join(contentDir(ctx.env, storage, 'vztmpl'), parts.file);
  if (existsSync(file)) rmSync(file);
}

export async function run(ctx: CommandContext, args: string[]): Promise<void> {
  await dispatch('pveam', { update, available, download, list, remove }, ctx, args);
}
