# The Proxmox firewall around the app containers: a cluster-wide alias for the router, an IP set of the
# admin machines, a security group for web traffic, and per app its options and its ordered rule list.
# Rules act on a NIC whose `firewall` flag is set (network { firewall = true } in containers.hcl) and only
# while the cluster firewall is on (firewall_cluster_options). The node's own rules keep its web GUI and
# SSH open to the admin machines once it is.

resource "firewall_cluster_options" "datacenter" {
  enable     = true
  policy_in  = "DROP"
  policy_out = "ACCEPT"
}

resource "firewall_node_options" "pve" {
  log_level_in = "info"
  tcpflags     = true
}

resource "firewall_node_rules" "pve" {
  rule {
    type    = "in"
    action  = "ACCEPT"
    proto   = "tcp"
    dport   = "8006"
    source  = "+${firewall_ipset.admins.name}"
    comment = "web GUI from the admin machines"
  }
  rule {
    type    = "in"
    action  = "ACCEPT"
    macro   = "SSH"
    source  = "+${firewall_ipset.admins.name}"
    comment = "ssh from the admin machines"
  }
}

resource "firewall_alias" "router" {
  name    = "router"
  cidr    = var.gateway
  comment = "LAN gateway and DNS"
}

resource "firewall_ipset" "admins" {
  name    = "admins"
  comment = "machines allowed to administer the apps"
  entry {
    cidr    = "10.0.10.0/28"
    comment = "admin workstations"
  }
  entry {
    cidr    = "10.0.10.5"
    nomatch = true
    comment = "the printer in that range"
  }
}

resource "firewall_security_group" "web" {
  name    = "web"
  comment = "web access from the LAN"
  rule {
    type   = "in"
    action = "ACCEPT"
    macro  = "HTTP"
    source = "10.0.10.0/24"
  }
  rule {
    type   = "in"
    action = "ACCEPT"
    macro  = "HTTPS"
    source = "10.0.10.0/24"
  }
}

locals {
  # The port each app serves on, besides the web group; an app not listed here serves on HTTPS.
  app_ports = { jellyfin = "8096", immich = "2283", paperless = "8000" }
}

resource "firewall_options" "app" {
  for_each     = var.apps
  guest        = lxc.app[each.key].vmid
  enable       = true
  policy_in    = "DROP"
  policy_out   = "ACCEPT"
  log_level_in = "info"
}

resource "firewall_rules" "app" {
  for_each = var.apps
  guest    = lxc.app[each.key].vmid
  rule {
    type   = "group"
    action = firewall_security_group.web.name
  }
  rule {
    type    = "in"
    action  = "ACCEPT"
    macro   = "SSH"
    source  = "+${firewall_ipset.admins.name}"
    comment = "ssh from the admin machines"
  }
  rule {
    type    = "in"
    action  = "ACCEPT"
    proto   = "tcp"
    dport   = lookup(local.app_ports, each.key, "https")
    source  = "10.0.10.0/24"
    comment = "${each.key} from the LAN"
  }
  rule {
    type   = "out"
    action = "ACCEPT"
    macro  = "DNS"
    dest   = firewall_alias.router.name
  }
}
