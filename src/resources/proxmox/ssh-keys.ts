/**
 * SSH public keys as Proxmox checks them: pve-common src/PVE/Tools.pm validate_ssh_public_keys runs
 * `ssh-keygen -l -f` on every non-blank line and says only "SSH public key validation error". phoenix
 * checks the same structure without running ssh-keygen: `[options] TYPE BASE64 [comment]`, where the
 * base64 blob decodes to SSH wire strings whose first one is TYPE again.
 */
import type { Format } from './formats.js';

const KEY_TYPES = new Set([
  'ssh-rsa', 'ssh-dss', 'ssh-ed25519', 'ssh-ed448',
  'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'sk-ecdsa-sha2-nistp256@openssh.com', 'sk-ssh-ed25519@openssh.com',
]);

function isKeyType(word: string): boolean {
  // Certificates: ssh-ed25519-cert-v01@openssh.com, sk-ssh-ed25519-cert-v01@openssh.com...
  return KEY_TYPES.has(word) || KEY_TYPES.has(word.replace(/-cert-v01@openssh\.com$/, '')) || KEY_TYPES.has(word.replace(/-cert-v01@/, '@'));
}

/** The SSH wire strings (uint32 length + bytes) of a key blob; undefined when the lengths do not add up. */
function wireStrings(blob: Buffer): Buffer[] | undefined {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < blob.length) {
    if (offset + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(offset);
    offset += 4;
    if (offset + length > blob.length) return undefined;
    parts.push(blob.subarray(offset, offset + length));
    offset += length;
  }
  return parts;
}

/** Why one authorized_keys line is not a public key, or undefined when it is. */
export function sshKeyLineProblem(line: string): string | undefined {
  const words = line.trim().split(/\s+/);
  // Options come first (`from="10.0.0.0/8",no-pty ssh-ed25519 AAAA...`): the key starts at the first type word.
  const at = words.findIndex(isKeyType);
  if (at < 0) return 'no key type (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ...) found';
  const type = words[at]!;
  const data = words[at + 1];
  if (data === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) return `the ${type} key data is not base64`;
  const parts = wireStrings(Buffer.from(data, 'base64'));
  if (!parts || parts.length < 2) return `the ${type} key data is truncated or malformed`;
  if (parts[0]!.toString('latin1') !== type) return `the key data is a "${parts[0]!.toString('latin1').slice(0, 40)}" key, not ${type}`;
  if (type === 'ssh-ed25519' && parts[1]!.length !== 32) return 'an ssh-ed25519 key holds 32 bytes';
  return undefined;
}

/** ssh_public_keys: one key per non-blank line. */
export const SSH_PUBLIC_KEYS: Format = {
  accepts: 'OpenSSH public keys, one per line, as in ~/.ssh/id_ed25519.pub ("ssh-ed25519 AAAAC3Nza... comment")',
  problem(value) {
    for (const [i, line] of value.split('\n').entries()) {
      if (/^\s*$/.test(line)) continue;
      const problem = sshKeyLineProblem(line);
      if (problem) return `SSH public key validation error (line ${i + 1}: ${problem})`;
    }
    return undefined;
  },
};
