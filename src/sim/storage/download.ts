/**
 * A download task as a Proxmox node runs it (pve-common src/PVE/Tools.pm download_file_from_url, run in a
 * worker by pveam download and the download-url API), and the foreground-task convention of the CLI
 * (pve-common src/PVE/RESTEnvironment.pm fork_worker/tee_worker): the worker's output goes to stdout, a
 * failure's message to stderr — and `pveam`/`pvesh` still exit 0, since neither exits with the task's
 * status the way pct/qm do ($upid_exit). Callers must look at stderr.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandContext } from '../core/context.js';
import { digest, fetchRemote } from './remote.js';

export class TaskFailure extends Error {}

export interface DownloadRequest {
  /** The file in the simulator's tree, and the host path Proxmox prints. */
  dest: string;
  hostDest: string;
  url: string;
  checksum?: { algorithm: string; expected: string };
  /** download-url's assert_file_validity: the reason a downloaded file is refused, if it is. */
  validity?: (content: Buffer) => string | undefined;
}

/** UPID of a task (pve-common src/PVE/UPID.pm encode). */
function upid(node: string, type: string, id: string): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
  const now = Math.floor(Date.now() / 1000);
  return `UPID:${node}:${hex(process.pid)}:${hex(now % 0xffffff)}:${hex(now)}:${type}:${id}:root@pam:`;
}

/** Runs `work` as a foreground task: its lines on stdout; its failure on stderr; returns the UPID. */
export function runForegroundTask(ctx: CommandContext, type: string, id: string, work: (print: (text: string) => void) => void): string {
  const print = (text: string) => ctx.out.out(text);
  try {
    work(print);
  } catch (e) {
    if (!(e instanceof TaskFailure)) throw e;
    ctx.out.err(e.message.replace(/\n/g, ' ').trimEnd());
  }
  return upid(ctx.env.node, type, id);
}

/** Tools.pm download_file_from_url with hash_required as given by the caller. */
export function downloadFile(ctx: CommandContext, print: (text: string) => void, request: DownloadRequest): void {
  const { dest, hostDest, url, checksum } = request;
  print(`downloading ${url} to ${hostDest}\n`);
  if (existsSync(dest)) {
    if (!checksum) throw new TaskFailure(`refusing to override existing file '${hostDest}'`);
    print('calculating checksum of existing file...');
    const got = digest(checksum.algorithm, readFileSync(dest));
    if (got === checksum.expected.toLowerCase()) {
      print('OK, got correct file already, no need to download\n');
      return;
    }
    print('\n');
    throw new TaskFailure(`checksum mismatch: got '${got}' != expect '${checksum.expected}', aborting`);
  }
  const temporary = `${dest}.tmp_dwnl.${process.pid}`;
  const content = fetchRemote(ctx.env, url);
  if (content === undefined) {
    // wget's exit code 8: "Server issued an error response" (a 404 here).
    throw new TaskFailure(`download failed: command 'wget --progress=dot:giga -O ${hostDest}.tmp_dwnl.${process.pid} ${url}' failed: exit code 8`);
  }
  if (checksum) {
    print('calculating checksum...');
    const got = digest(checksum.algorithm, content);
    if (got !== checksum.expected.toLowerCase()) {
      print('\n');
      throw new TaskFailure(`checksum mismatch: got '${got}' != expect '${checksum.expected}'`);
    }
    print('OK, checksum verified\n');
  }
  const invalid = request.validity?.(content);
  if (invalid) throw new TaskFailure(`failed to verify file: ${invalid}`);
  mkdirSync(dirname(dest), { recursive: true });
  writeFileSync(temporary, content);
  renameSync(temporary, dest);
  print(`download of '${url}' to '${hostDest}' finished\n`);
}
