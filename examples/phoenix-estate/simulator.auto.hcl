# Values for trying the estate on the shipped simulator (delete this file and .phoenix-sim for a real node).
lxc_template = "local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst"
