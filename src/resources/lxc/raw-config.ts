/**
 * Raw `lxc.*` lines (lxc_raw and the lines `gpus` expands into). Proxmox's API cannot write them, so
 * phoenix edits the guest config file under the same per-guest lock `pct` takes
 * (`/run/lock/lxc/pve-config-ID.lock`), with a constant Perl script that replaces the `lxc.*` lines of
 * the current config atomically (temp file + rename) and keeps every other line and all sections.
 */
import { hostPath, type NodeHandle } from '../provider.js';
import { guestConfigPath } from '../proxmox/inventory.js';
import { runOnHost } from '../proxmox/host.js';

/** Seconds to wait for the guest's config lock, as Proxmox's own tools do. */
const LOCK_WAIT_SECONDS = '10';

/**
 * argv: CONFFILE LINE... — drops the `lxc.*` lines before the first `[section]`, appends the given
 * lines at the end of that part, writes a temp file next to the config and renames it over it.
 */
export const REWRITE_RAW_LINES_SCRIPT = [
  'use strict; use warnings;',
  'my ($file, @lines) = @ARGV;',
  'open(my $in, "<", $file) or die "unable to open $file: $!\\n";',
  'my @all = <$in>; close($in);',
  'for (@all) { $_ .= "\\n" unless /\\n\\z/ }',
  'my (@main, @rest); my $in_main = 1;',
  'for my $l (@all) { $in_main = 0 if $l =~ /^\\[/; if ($in_main) { push @main, $l unless $l =~ /^lxc\\./ } else { push @rest, $l } }',
  'pop @main while @main && $main[-1] =~ /^\\s*$/;',
  'push @main, map { "$_\\n" } @lines;',
  'my $tmp = "$file.tmp.$$";',
  'open(my $out, ">", $tmp) or die "unable to write $tmp: $!\\n";',
  'print $out @main; print $out "\\n", @rest if @rest;',
  'close($out) or die "unable to write $tmp: $!\\n";',
  'rename($tmp, $file) or die "unable to rename $tmp: $!\\n";',
].join(' ');

const NVIDIA_MAJOR = 195;

/** Lines for passing NVIDIA GPUs: per-GPU device mounts, then the shared control/UVM devices and the cgroup rule. */
export function gpuLines(gpus: number[]): string[] {
  if (gpus.length === 0) return [];
  const mount = (dev: string) => `lxc.mount.entry: /dev/${dev} dev/${dev} none bind,optional,create=file`;
  return [
    `lxc.cgroup2.devices.allow: c ${NVIDIA_MAJOR}:* rwm`,
    ...gpus.map((i) => mount(`nvidia${i}`)),
    mount('nvidiactl'),
    mount('nvidia-uvm'),
    mount('nvidia-uvm-tools'),
  ];
}

/** The lines phoenix writes: lxc_raw first, then the GPU lines. */
export function managedRawLines(lxcRaw: string[], gpus: number[]): string[] {
  return [...lxcRaw, ...gpuLines(gpus)];
}

/**
 * Splits the `lxc.*` lines found on the host into `gpus` and `lxc_raw`: GPUs are recognised by their
 * `/dev/nvidiaN` mounts; if every line those GPUs need is present they are removed from `lxc_raw`,
 * otherwise everything stays in `lxc_raw` (so the drift shows as a diff and the next apply rewrites it).
 */
export function splitRawLines(lines: string[]): { lxcRaw: string[]; gpus: number[] } {
  const gpus = lines
    .map((l) => /^lxc\.mount\.entry: \/dev\/nvidia(\d+) /.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  const expected = gpuLines(gpus);
  if (gpus.length === 0 || !expected.every((l) => lines.includes(l))) return { lxcRaw: lines, gpus: [] };
  return { lxcRaw: lines.filter((l) => !expected.includes(l)), gpus };
}

export function rewriteRawLinesArgv(node: NodeHandle, guestNode: string, vmid: number, lines: string[]): string[] {
  return [
    'flock',
    '-w',
    LOCK_WAIT_SECONDS,
    hostPath(node, `/run/lock/lxc/pve-config-${vmid}.lock`),
    'perl',
    '-e',
    REWRITE_RAW_LINES_SCRIPT,
    guestConfigPath(node, guestNode, 'lxc', vmid),
    ...lines,
  ];
}

export async function writeRawLines(node: NodeHandle, guestNode: string, vmid: number, lines: string[]): Promise<void> {
  await runOnHost(node, rewriteRawLinesArgv(node, guestNode, vmid, lines), { what: `writing lxc.* lines of CT ${vmid}` });
}
