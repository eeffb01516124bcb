#!/bin/sh
# Host feature: caps the ZFS ARC so the guests keep their memory (PHOENIX_INPUT_ARC_MAX_GB), now and at boot.
set -eu
bytes=$((PHOENIX_INPUT_ARC_MAX_GB * 1024 * 1024 * 1024))
echo "options zfs zfs_arc_max=${bytes}" > /etc/modprobe.d/zfs-arc.conf
echo "${bytes}" > /sys/module/zfs/parameters/zfs_arc_max
update-initramfs -u -k all
