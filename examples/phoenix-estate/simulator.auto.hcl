# Values for trying the estate on the shipped simulator (delete this file for a real node).
# The simulator must know the pools first: put {"pools": ["quickOS", "fastData"]} into .phoenix-sim/sim.json.
lxc_template = "local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst"
