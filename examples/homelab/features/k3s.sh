#!/bin/sh
# Installs k3s. Input: PHOENIX_INPUT_ROLE ("server" or "agent").
set -eu
case "${PHOENIX_INPUT_ROLE:-server}" in
  server) curl -sfL https://get.k3s.io | sh -s - server ;;
  agent) echo "agent join is done by the cluster bootstrap" ;;
esac
