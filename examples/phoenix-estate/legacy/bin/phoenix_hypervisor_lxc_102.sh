#!/bin/sh
# Stand-in for the legacy phoenix_hypervisor_lxc_102.sh: the public snapshot this example was converted from
# holds only the JSON configs. On a real migration `features_dir` / `scripts_dir` point at the legacy
# scripts instead, ported to run inside the guest (see docs/migration.md).
set -eu
echo "phoenix_hypervisor_lxc_102.sh: configured"
