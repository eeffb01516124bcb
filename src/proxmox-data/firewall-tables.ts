/**
 * Reference tables of pve-firewall, pure data shared by the engine (validation, src/resources/firewall) and the
 * simulator (src/sim/firewall), which otherwise never import each other. Generated once from
 * pve-firewall src/PVE/Firewall.pm ($pve_fw_macros, $pve_ipv6fw_macros, $icmp_type_names, $icmpv6_type_names)
 * and Debian netbase's /etc/protocols and /etc/services, the files get_etc_protocols and get_etc_services read.
 */

/** One rule of a macro: values are literal or "PARAM" / "SOURCE" / "DEST" (filled from the rule using the macro). */
export type MacroRule = Readonly<Record<string, string>>;

/** Macros by their preferred name (init_firewall_macros): ipversion 0 = both, 4 or 6 = only that family. */
export const FIREWALL_MACROS: Readonly<Record<string, { ipversion: 0 | 4 | 6; rules: readonly MacroRule[] }>> = {
  "Amanda": {"ipversion":0,"rules":[{"action":"PARAM","dport":"10080","proto":"udp"},{"action":"PARAM","dport":"10080","proto":"tcp"}]},
  "Auth": {"ipversion":0,"rules":[{"action":"PARAM","dport":"113","proto":"tcp"}]},
  "BGP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"179","proto":"tcp"}]},
  "BitTorrent": {"ipversion":0,"rules":[{"action":"PARAM","dport":"6881:6889","proto":"tcp"},{"action":"PARAM","dport":"6881","proto":"udp"}]},
  "BitTorrent32": {"ipversion":0,"rules":[{"action":"PARAM","dport":"6881:6999","proto":"tcp"},{"action":"PARAM","dport":"6881","proto":"udp"}]},
  "CVS": {"ipversion":0,"rules":[{"action":"PARAM","dport":"2401","proto":"tcp"}]},
  "Ceph": {"ipversion":0,"rules":[{"action":"PARAM","dport":"6789","proto":"tcp"},{"action":"PARAM","dport":"3300","proto":"tcp"},{"action":"PARAM","dport":"6800:7300","proto":"tcp"}]},
  "Citrix": {"ipversion":0,"rules":[{"action":"PARAM","dport":"1494","proto":"tcp"},{"action":"PARAM","dport":"1604","proto":"udp"},{"action":"PARAM","dport":"2598","proto":"tcp"}]},
  "DAAP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"3689","proto":"tcp"},{"action":"PARAM","dport":"3689","proto":"udp"}]},
  "DCC": {"ipversion":0,"rules":[{"action":"PARAM","dport":"6277","proto":"tcp"}]},
  "DHCPfwd": {"ipversion":0,"rules":[{"action":"PARAM","dport":"67:68","proto":"udp","sport":"67:68"}]},
  "DNS": {"ipversion":0,"rules":[{"action":"PARAM","dport":"53","proto":"udp"},{"action":"PARAM","dport":"53","proto":"tcp"}]},
  "Distcc": {"ipversion":0,"rules":[{"action":"PARAM","dport":"3632","proto":"tcp"}]},
  "FTP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"21","proto":"tcp"}]},
  "Finger": {"ipversion":0,"rules":[{"action":"PARAM","dport":"79","proto":"tcp"}]},
  "GNUnet": {"ipversion":0,"rules":[{"action":"PARAM","dport":"2086","proto":"tcp"},{"action":"PARAM","dport":"2086","proto":"udp"},{"action":"PARAM","dport":"1080","proto":"tcp"},{"action":"PARAM","dport":"1080","proto":"udp"}]},
  "GRE": {"ipversion":0,"rules":[{"action":"PARAM","proto":"47"}]},
  "Git": {"ipversion":0,"rules":[{"action":"PARAM","dport":"9418","proto":"tcp"}]},
  "HKP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"11371","proto":"tcp"}]},
  "HTTP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"80","proto":"tcp"}]},
  "HTTPS": {"ipversion":0,"rules":[{"action":"PARAM","dport":"443","proto":"tcp"}]},
  "ICPV2": {"ipversion":0,"rules":[{"action":"PARAM","dport":"3130","proto":"udp"}]},
  "ICQ": {"ipversion":0,"rules":[{"action":"PARAM","dport":"5190","proto":"tcp"}]},
  "IMAP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"143","proto":"tcp"}]},
  "IMAPS": {"ipversion":0,"rules":[{"action":"PARAM","dport":"993","proto":"tcp"}]},
  "IPIP": {"ipversion":0,"rules":[{"action":"PARAM","proto":"94"}]},
  "IPsec": {"ipversion":0,"rules":[{"action":"PARAM","dport":"500","proto":"udp","sport":"500"},{"action":"PARAM","proto":"50"}]},
  "IPsecah": {"ipversion":0,"rules":[{"action":"PARAM","dport":"500","proto":"udp","sport":"500"},{"action":"PARAM","proto":"51"}]},
  "IPsecnat": {"ipversion":0,"rules":[{"action":"PARAM","dport":"500","proto":"udp"},{"action":"PARAM","dport":"4500","proto":"udp"},{"action":"PARAM","proto":"50"}]},
  "IRC": {"ipversion":0,"rules":[{"action":"PARAM","dport":"6667","proto":"tcp"}]},
  "Jetdirect": {"ipversion":0,"rules":[{"action":"PARAM","dport":"9100","proto":"tcp"}]},
  "L2TP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"1701","proto":"udp"}]},
  "LDAP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"389","proto":"tcp"}]},
  "LDAPS": {"ipversion":0,"rules":[{"action":"PARAM","dport":"636","proto":"tcp"}]},
  "MDNS": {"ipversion":0,"rules":[{"action":"PARAM","dport":"5353","proto":"udp"}]},
  "MSNP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"1863","proto":"tcp"}]},
  "MSSQL": {"ipversion":0,"rules":[{"action":"PARAM","dport":"1433","proto":"tcp"}]},
  "Mail": {"ipversion":0,"rules":[{"action":"PARAM","dport":"25","proto":"tcp"},{"action":"PARAM","dport":"465","proto":"tcp"},{"action":"PARAM","dport":"587","proto":"tcp"}]},
  "Munin": {"ipversion":0,"rules":[{"action":"PARAM","dport":"4949","proto":"tcp"}]},
  "MySQL": {"ipversion":0,"rules":[{"action":"PARAM","dport":"3306","proto":"tcp"}]},
  "NNTP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"119","proto":"tcp"}]},
  "NNTPS": {"ipversion":0,"rules":[{"action":"PARAM","dport":"563","proto":"tcp"}]},
  "NTP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"123","proto":"udp"}]},
  "OSPF": {"ipversion":0,"rules":[{"action":"PARAM","proto":"89"}]},
  "OpenVPN": {"ipversion":0,"rules":[{"action":"PARAM","dport":"1194","proto":"udp"}]},
  "PCA": {"ipversion":0,"rules":[{"action":"PARAM","dport":"5632","proto":"udp"},{"action":"PARAM","dport":"5631","proto":"tcp"}]},
  "PMG": {"ipversion":0,"rules":[{"action":"PARAM","dport":"8006","proto":"tcp"}]},
  "POP3": {"ipversion":0,"rules":[{"action":"PARAM","dport":"110","proto":"tcp"}]},
  "POP3S": {"ipversion":0,"rules":[{"action":"PARAM","dport":"995","proto":"tcp"}]},
  "PPtP": {"ipversion":0,"rules":[{"action":"PARAM","proto":"47"},{"action":"PARAM","dport":"1723","proto":"tcp"}]},
  "Ping": {"ipversion":0,"rules":[{"action":"PARAM","dport":"echo-request","proto":"icmp"}]},
  "PostgreSQL": {"ipversion":0,"rules":[{"action":"PARAM","dport":"5432","proto":"tcp"}]},
  "Printer": {"ipversion":0,"rules":[{"action":"PARAM","dport":"515","proto":"tcp"}]},
  "RDP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"3389","proto":"tcp"}]},
  "RIP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"520","proto":"udp"}]},
  "RNDC": {"ipversion":0,"rules":[{"action":"PARAM","dport":"953","proto":"tcp"}]},
  "Razor": {"ipversion":0,"rules":[{"action":"PARAM","dport":"2703","proto":"tcp"}]},
  "Rdate": {"ipversion":0,"rules":[{"action":"PARAM","dport":"37","proto":"tcp"}]},
  "Rsync": {"ipversion":0,"rules":[{"action":"PARAM","dport":"873","proto":"tcp"}]},
  "SANE": {"ipversion":0,"rules":[{"action":"PARAM","dport":"6566","proto":"tcp"}]},
  "SMB": {"ipversion":0,"rules":[{"action":"PARAM","dport":"135,445","proto":"udp"},{"action":"PARAM","dport":"137:139","proto":"udp"},{"action":"PARAM","dport":"1024:65535","proto":"udp","sport":"137"},{"action":"PARAM","dport":"135,139,445","proto":"tcp"}]},
  "SMBswat": {"ipversion":0,"rules":[{"action":"PARAM","dport":"901","proto":"tcp"}]},
  "SMTP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"25","proto":"tcp"}]},
  "SMTPS": {"ipversion":0,"rules":[{"action":"PARAM","dport":"465","proto":"tcp"}]},
  "SNMP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"161:162","proto":"udp"},{"action":"PARAM","dport":"161","proto":"tcp"}]},
  "SPAMD": {"ipversion":0,"rules":[{"action":"PARAM","dport":"783","proto":"tcp"}]},
  "SPICEproxy": {"ipversion":0,"rules":[{"action":"PARAM","dport":"3128","proto":"tcp"}]},
  "SSH": {"ipversion":0,"rules":[{"action":"PARAM","dport":"22","proto":"tcp"}]},
  "SVN": {"ipversion":0,"rules":[{"action":"PARAM","dport":"3690","proto":"tcp"}]},
  "SixXS": {"ipversion":0,"rules":[{"action":"PARAM","dport":"3874","proto":"tcp"},{"action":"PARAM","dport":"3740","proto":"udp"},{"action":"PARAM","proto":"41"},{"action":"PARAM","dport":"5072,8374","proto":"udp"}]},
  "Squid": {"ipversion":0,"rules":[{"action":"PARAM","dport":"3128","proto":"tcp"}]},
  "Submission": {"ipversion":0,"rules":[{"action":"PARAM","dport":"587","proto":"tcp"}]},
  "Syslog": {"ipversion":0,"rules":[{"action":"PARAM","dport":"514","proto":"udp"},{"action":"PARAM","dport":"514","proto":"tcp"}]},
  "TFTP": {"ipversion":0,"rules":[{"action":"PARAM","dport":"69","proto":"udp"}]},
  "Telnet": {"ipversion":0,"rules":[{"action":"PARAM","dport":"23","proto":"tcp"}]},
  "Telnets": {"ipversion":0,"rules":[{"action":"PARAM","dport":"992","proto":"tcp"}]},
  "Time": {"ipversion":0,"rules":[{"action":"PARAM","dport":"37","proto":"tcp"}]},
  "Trcrt": {"ipversion":0,"rules":[{"action":"PARAM","dport":"33434:33524","proto":"udp"},{"action":"PARAM","dport":"echo-request","proto":"icmp"}]},
  "VNC": {"ipversion":0,"rules":[{"action":"PARAM","dport":"5900:5999","proto":"tcp"}]},
  "VNCL": {"ipversion":0,"rules":[{"action":"PARAM","dport":"5500","proto":"tcp"}]},
  "Web": {"ipversion":0,"rules":[{"action":"PARAM","dport":"80","proto":"tcp"},{"action":"PARAM","dport":"443","proto":"tcp"}]},
  "Webcache": {"ipversion":0,"rules":[{"action":"PARAM","dport":"8080","proto":"tcp"}]},
  "Webmin": {"ipversion":0,"rules":[{"action":"PARAM","dport":"10000","proto":"tcp"}]},
  "Whois": {"ipversion":0,"rules":[{"action":"PARAM","dport":"43","proto":"tcp"}]},
  "DHCPv6": {"ipversion":6,"rules":[{"action":"PARAM","dport":"546:547","proto":"udp","sport":"546:547"}]},
  "NeighborDiscovery": {"ipversion":6,"rules":[{"action":"PARAM","dport":"router-solicitation","proto":"icmpv6"},{"action":"PARAM","dport":"router-advertisement","proto":"icmpv6"},{"action":"PARAM","dport":"neighbor-solicitation","proto":"icmpv6"},{"action":"PARAM","dport":"neighbor-advertisement","proto":"icmpv6"}]},
};

/** $pve_ipv6fw_macros: the IPv6 variants of macros that also exist for IPv4. */
export const FIREWALL_IPV6_MACROS: Readonly<Record<string, readonly MacroRule[]>> = {
  "Ping": [{"action":"PARAM","dport":"echo-request","proto":"icmpv6"}],
  "Trcrt": [{"action":"PARAM","dport":"33434:33524","proto":"udp"},{"action":"PARAM","dport":"echo-request","proto":"icmpv6"}],
};

/** $icmp_type_names. */
export const ICMP_TYPES: readonly string[] = ["TOS-host-redirect","TOS-host-unreachable","TOS-network-redirect","TOS-network-unreachable","address-mask-reply","address-mask-request","any","communication-prohibited","destination-unreachable","echo-reply","echo-request","fragmentation-needed","host-precedence-violation","host-prohibited","host-redirect","host-unknown","host-unreachable","ip-header-bad","network-prohibited","network-redirect","network-unknown","network-unreachable","parameter-problem","port-unreachable","precedence-cutoff","protocol-unreachable","redirect","required-option-missing","router-advertisement","router-solicitation","source-quench","source-route-failed","time-exceeded","timestamp-reply","timestamp-request","ttl-zero-during-reassembly","ttl-zero-during-transit"];

/** $icmpv6_type_names. */
export const ICMPV6_TYPES: readonly string[] = ["address-unreachable","bad-header","beyond-scope","communication-prohibited","destination-unreachable","echo-reply","echo-request","failed-policy","neighbor-advertisement","neighbor-solicitation","neighbour-advertisement","neighbour-solicitation","no-route","packet-too-big","parameter-problem","port-unreachable","redirect","reject-route","router-advertisement","router-solicitation","time-exceeded","ttl-zero-during-reassembly","ttl-zero-during-transit","unknown-header-type","unknown-option"];

/** /etc/protocols: name → number (parse_protocol_file); get_etc_protocols adds "icmpv6" (no number). */
export const PROTOCOLS: Readonly<Record<string, number>> = {"ip":0,"hopopt":0,"icmp":1,"igmp":2,"ggp":3,"ipencap":4,"st":5,"tcp":6,"egp":8,"igp":9,"pup":12,"udp":17,"hmp":20,"xns-idp":22,"rdp":27,"iso-tp4":29,"dccp":33,"xtp":36,"ddp":37,"idpr-cmtp":38,"ipv6":41,"ipv6-route":43,"ipv6-frag":44,"idrp":45,"rsvp":46,"gre":47,"esp":50,"ah":51,"skip":57,"ipv6-icmp":58,"ipv6-nonxt":59,"ipv6-opts":60,"rspf":73,"vmtp":81,"eigrp":88,"ospf":89,"ax.25":93,"ipip":94,"etherip":97,"encap":98,"pim":103,"ipcomp":108,"vrrp":112,"l2tp":115,"isis":124,"sctp":132,"fc":133,"mobility-header":135,"udplite":136,"mpls-in-ip":137,"manet":138,"hip":139,"shim6":140,"wesp":141,"rohc":142,"ethernet":143,"mptcp":262};

/** /etc/services: the first name of each tcp/udp/sctp line → port (get_etc_services). */
export const SERVICES: Readonly<Record<string, number>> = {"tcpmux":1,"echo":7,"discard":9,"systat":11,"daytime":13,"netstat":15,"qotd":17,"chargen":19,"ftp-data":20,"ftp":21,"fsp":21,"ssh":22,"telnet":23,"smtp":25,"time":37,"whois":43,"tacacs":49,"domain":53,"bootps":67,"bootpc":68,"tftp":69,"gopher":70,"finger":79,"http":80,"kerberos":88,"iso-tsap":102,"acr-nema":104,"pop3":110,"sunrpc":111,"auth":113,"nntp":119,"ntp":123,"epmap":135,"netbios-ns":137,"netbios-dgm":138,"netbios-ssn":139,"imap2":143,"snmp":161,"snmp-trap":162,"cmip-man":163,"cmip-agent":164,"mailq":174,"xdmcp":177,"bgp":179,"smux":199,"qmtp":209,"z3950":210,"ipx":213,"ptp-event":319,"ptp-general":320,"pawserv":345,"zserv":346,"rpc2portmap":369,"codaauth2":370,"clearcase":371,"ldap":389,"svrloc":427,"https":443,"snpp":444,"microsoft-ds":445,"kpasswd":464,"submissions":465,"saft":487,"isakmp":500,"rtsp":554,"nqs":607,"asf-rmcp":623,"qmqp":628,"ipp":631,"ldp":646,"exec":512,"biff":512,"login":513,"who":513,"shell":514,"syslog":514,"printer":515,"talk":517,"ntalk":518,"route":520,"gdomap":538,"uucp":540,"klogin":543,"kshell":544,"dhcpv6-client":546,"dhcpv6-server":547,"afpovertcp":548,"nntps":563,"submission":587,"ldaps":636,"tinc":655,"silc":706,"kerberos-adm":749,"domain-s":853,"rsync":873,"ftps-data":989,"ftps":990,"telnets":992,"imaps":993,"pop3s":995,"socks":1080,"proofd":1093,"rootd":1094,"openvpn":1194,"rmiregistry":1099,"lotusnote":1352,"ms-sql-s":1433,"ms-sql-m":1434,"ingreslock":1524,"datametrics":1645,"sa-msg-port":1646,"kermit":1649,"groupwise":1677,"l2f":1701,"radius":1812,"radius-acct":1813,"cisco-sccp":2000,"nfs":2049,"gnunet":2086,"rtcm-sc104":2101,"gsigatekeeper":2119,"gris":2135,"cvspserver":2401,"venus":2430,"venus-se":2431,"codasrv":2432,"codasrv-se":2433,"mon":2583,"dict":2628,"f5-globalsite":2792,"gsiftp":2811,"gpsd":2947,"gds-db":3050,"icpv2":3130,"isns":3205,"iscsi-target":3260,"mysql":3306,"ms-wbt-server":3389,"nut":3493,"distcc":3632,"daap":3689,"svn":3690,"suucp":4031,"sysrqd":4094,"sieve":4190,"epmd":4369,"remctl":4373,"f5-iquery":4353,"ntske":4460,"ipsec-nat-t":4500,"iax":4569,"mtn":4691,"radmin-port":4899,"sip":5060,"sip-tls":5061,"xmpp-client":5222,"xmpp-server":5269,"cfengine":5308,"mdns":5353,"postgresql":5432,"freeciv":5556,"amqps":5671,"amqp":5672,"x11":6000,"x11-1":6001,"x11-2":6002,"x11-3":6003,"x11-4":6004,"x11-5":6005,"x11-6":6006,"x11-7":6007,"gnutella-svc":6346,"gnutella-rtr":6347,"redis":6379,"sge-qmaster":6444,"sge-execd":6445,"mysql-proxy":6446,"babel":6696,"ircs-u":6697,"bbs":7000,"afs3-fileserver":7000,"afs3-callback":7001,"afs3-prserver":7002,"afs3-vlserver":7003,"afs3-kaserver":7004,"afs3-volser":7005,"afs3-bos":7007,"afs3-update":7008,"afs3-rmtsys":7009,"font-service":7100,"http-alt":8080,"puppet":8140,"bacula-dir":9101,"bacula-fd":9102,"bacula-sd":9103,"xmms2":9667,"nbd":10809,"zabbix-agent":10050,"zabbix-trapper":10051,"amanda":10080,"dicom":11112,"hkp":11371,"db-lsp":17500,"dcap":22125,"gsidcap":22128,"wnn6":22273,"kerberos4":750,"kerberos-master":751,"passwd-server":752,"krb-prop":754,"zephyr-srv":2102,"zephyr-clt":2103,"zephyr-hm":2104,"iprop":2121,"supfilesrv":871,"supfiledbg":1127,"poppassd":106,"moira-db":775,"moira-update":777,"moira-ureg":779,"spamd":783,"skkserv":1178,"predict":1210,"rmtcfg":1236,"xtel":1313,"xtelw":1314,"zebrasrv":2600,"zebra":2601,"ripd":2602,"ripngd":2603,"ospfd":2604,"bgpd":2605,"ospf6d":2606,"ospfapi":2607,"isisd":2608,"fax":4557,"hylafax":4559,"munin":4949,"rplay":5555,"nrpe":5666,"nsca":5667,"canna":5680,"syslog-tls":6514,"sane-port":6566,"ircd":6667,"zope-ftp":8021,"tproxy":8081,"omniorb":8088,"clc-build-daemon":8990,"xinetd":9098,"git":9418,"zope":9673,"webmin":10000,"kamanda":10081,"amandaidx":10082,"amidxtape":10083,"sgi-cmsd":17001,"sgi-crsd":17002,"sgi-gcd":17003,"sgi-cad":17004,"binkp":24554,"asp":27374,"csync2":30865,"dircproxy":57000,"tfido":60177,"fido":60179};
