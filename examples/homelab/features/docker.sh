#!/bin/sh
# Installs Docker Engine from Debian's packages. Input: PHOENIX_INPUT_VERSION (informational pin).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q ca-certificates curl docker.io
systemctl enable --now docker
echo "docker installed (requested ${PHOENIX_INPUT_VERSION:-latest})"
