#!/bin/sh
# NVIDIA userland inside a container (the kernel module lives on the host). The driver version must
# match the host's. Input: PHOENIX_INPUT_DRIVER_VERSION.
set -eu
version="${PHOENIX_INPUT_DRIVER_VERSION:?driver_version input is required}"
runfile="NVIDIA-Linux-x86_64-${version}.run"
cd /tmp
curl -fsSLO "https://download.nvidia.com/XFree86/Linux-x86_64/${version}/${runfile}"
sh "${runfile}" --silent --no-kernel-module
rm -f "${runfile}"
apt-get install -y -q nvidia-container-toolkit || true
