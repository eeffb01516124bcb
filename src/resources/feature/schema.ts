/** The `feature` resource schema: an install script run inside a guest, re-run when script or inputs change. */
import type { ResourceSchema } from '../provider.js';
import { nodeAttribute } from '../proxmox/guest-schema.js';
import { guestTypeAttribute } from '../proxmox/guest-ref.js';

export const featureSchema: ResourceSchema = {
  description:
    'A feature installed in a guest by a script (docker, nvidia...). The script runs once; a change of script or inputs runs it again. ' +
    'A marker file /etc/phoenix/features/NAME.sha256 in the guest records what was installed, so features inherited from a clone source count as present. ' +
    'For a VM, phoenix also records the hash on the node (/etc/phoenix/vm-features/VMID/NAME.sha256, valid for the VM\'s current vmgenid), so refresh ' +
    'reads every VM\'s features in one host command instead of one guest-agent call per VM: a marker deleted inside a VM by hand is not seen as drift. ' +
    'With `host = true` the script runs on the node itself (NFS server, Samba, NVIDIA driver, VFIO...) through the node\'s connection; its marker is ' +
    '/etc/phoenix/host-features/NAME.sha256 on the node (on the simulator the script is recorded in var/sim/host-exec.log, never executed). ' +
    'Guests that need a host feature reference it (`depends_on = [feature.nfs_server]`).',
  attributes: {
    guest: { type: 'number', optional: true, forceNew: true, description: 'vmid of the guest, usually a reference such as `lxc.base.vmid`. Required unless `host = true`.' },
    host: { type: 'bool', optional: true, default: false, forceNew: true, description: 'Install on the node itself instead of in a guest (then `guest` is not set).' },
    guest_type: guestTypeAttribute,
    node: nodeAttribute,
    name: { type: 'string', required: true, forceNew: true, description: 'Feature name; names the script and marker files in the guest.' },
    script: { type: 'string', required: true, description: 'Script content run with `sh`, typically `file("features/docker.sh")`.' },
    inputs: { type: { map: 'string' }, optional: true, default: {}, description: 'Values passed to the script as environment variables PHOENIX_INPUT_<KEY> (key uppercased).' },
    requires: { type: { list: 'string' }, optional: true, default: [], description: 'Names of features this one needs (informational; ordering comes from references and depends_on).' },
    uninstall_script: { type: 'string', optional: true, description: 'Script run in the guest when the feature is destroyed.' },
    sha256: { type: 'string', computed: true, description: 'SHA-256 of script and inputs: what the marker file records. A change re-runs the script.' },
  },
};
