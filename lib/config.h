/* Per-node configuration: JSON loading (jansson), validation, defaults, and the effective config as JSON.
 *
 * struct node_config holds no heap pointers (fixed-size arrays and strings only): it can be copied with
 * memcpy, published to other threads, and never needs freeing. conf/README.md documents every key. */
#ifndef MESHPLANE_CONFIG_H
#define MESHPLANE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "log.h"
#include "mac.h"
#include "wired_mesh.h"
#include "mgmt.h"

/* Size limits (string limits exclude the terminating NUL). */
#define CONFIG_NAME_MAX 31           /* node.name, node.file_prefix */
#define CONFIG_MESH_ID_MAX 32        /* Mesh ID element: 0..32 octets */
#define CONFIG_SSID_MAX 32
#define CONFIG_PORT_NAME_MAX 15      /* like IFNAMSIZ - 1 */
#define CONFIG_DEVARGS_MAX 255
#define CONFIG_CTRL_PATH_MAX 107     /* sizeof(sockaddr_un.sun_path) - 1 */
#define CONFIG_PATH_MAX 255          /* other file paths */
#define CONFIG_EAL_ARG_MAX 255
#define CONFIG_MAX_PORTS 8
#define CONFIG_MAX_LCORES 8
#define CONFIG_MAX_LCORE_ID 127
#define CONFIG_MAX_STATIC_PATHS 16384
#define CONFIG_MAX_STATIC_PROXIES 1024
#define CONFIG_MAX_STATIC_FDB 256
#define CONFIG_MAX_STATIC_PEERS 64
#define CONFIG_MAX_EAL_ARGS 16
#define CONFIG_FILE_MAX (4u << 20)   /* larger files are refused before parsing */
#define CONFIG_STATIC_KEY_LEN 16     /* mesh.static_keys: CCMP-128 temporal keys */

/* mesh: radiotap + 802.11s; access: an AP's clients (Ethernet); lan: a wired uplink (Ethernet); host: the
 * node's own kernel interface on the bridged segment (its management address, local daemons). */
enum port_role { PORT_ROLE_MESH = 0, PORT_ROLE_ACCESS, PORT_ROLE_LAN, PORT_ROLE_HOST };

/* hwmp.root_mode values (the dot11MeshHWMPRootMode values Linux uses). */
enum hwmp_root_mode {
	HWMP_ROOT_NONE = 0,          /* not a root */
	HWMP_ROOT_ROOT = 1,          /* root without announcements */
	HWMP_ROOT_PROACTIVE_PREQ_NO_PREP = 2,
	HWMP_ROOT_PROACTIVE_PREQ_WITH_PREP = 3,
	HWMP_ROOT_RANN = 4,          /* root announcements (RANN) */
};

struct node_ident {
	char name[CONFIG_NAME_MAX + 1];
	struct mac_addr mesh_mac;
	char file_prefix[CONFIG_NAME_MAX + 1]; /* EAL --file-prefix; defaults to name */
};

/* mesh.airtime_units: the scale of link metrics (PROTOCOL.md "Airtime metric"). */
enum airtime_units {
	AIRTIME_UNITS_MAC80211 = 0, /* Linux's integer formula (~1 us units): sums agree with Linux peers' */
	AIRTIME_UNITS_STANDARD,     /* 802.11's 0.01 TU units */
};

struct mesh_config {
	char mesh_id[CONFIG_MESH_ID_MAX + 1]; /* may be empty */
	uint8_t ttl;
	uint8_t element_ttl;
	uint16_t beacon_interval_tu;
	uint16_t max_peers;
	uint8_t beacon_loss_limit;            /* beacon intervals of the peer's own without a beacon: lost */
	bool gate;                            /* connected to a gate/LAN */
	uint8_t channel;                      /* DS Parameter Set: 1..14 (2.4 GHz) or 32..177 (5 GHz) */
	struct mesh_rates rates;              /* supported rates; MESH_RATE_BASIC marks the basic ones */
	uint8_t airtime_units;                /* enum airtime_units */
	uint8_t security;                     /* enum mesh_security */
	char password_file[CONFIG_PATH_MAX + 1]; /* security sae: the shared secret's file (root-only) */
	/* security static (benchmarks and tests only): the one MTK of every static peer's link and the MGTK
	 * every node uses, straight from the config. No SAE, no AMPE: not a secure mesh. */
	uint8_t static_mtk[CONFIG_STATIC_KEY_LEN];
	uint8_t static_mgtk[CONFIG_STATIC_KEY_LEN];
};

/* none: an open mesh; sae: the secure mesh (SAE, AMPE, CCMP); static: CCMP on mesh data with fixed keys
 * from the config for the static peers, for benchmarks and tests only. */
enum mesh_security { MESH_SECURITY_NONE = 0, MESH_SECURITY_SAE, MESH_SECURITY_STATIC };

/* SAE of the secure mesh (wpa_supplicant 2.10's defaults). */
#define CONFIG_MAX_SAE_GROUPS 4
struct sae_config {
	uint16_t groups[CONFIG_MAX_SAE_GROUPS]; /* preference order; 0 ends the list */
	uint8_t pwe;                          /* 0 hunting-and-pecking, 1 hash-to-element, 2 both */
	uint32_t retrans_ms;                  /* dot11RSNASAERetransPeriod */
	uint8_t sync;                         /* dot11RSNASAESync: retransmissions before giving up */
	uint16_t anti_clogging_threshold;     /* open sessions before tokens are required */
	uint16_t max_sessions;                /* SAE sessions at once */
	uint32_t retry_backoff_ms;            /* after a failed SAE, no new attempt with that peer */
	uint32_t mgtk_refresh_s;              /* a new MGTK this often (0: never) */
};

/* Mesh Peering Management timers and limits (Linux's dot11Mesh* defaults). */
struct peering_config {
	uint32_t retry_timeout_ms;
	uint32_t confirm_timeout_ms;
	uint32_t holding_timeout_ms;
	uint8_t max_retries;
	uint16_t max_candidates;              /* peering table entries, >= mesh.max_peers */
	bool auto_open;                       /* open links to compatible mesh points heard in beacons */
	bool hwmp_extensions;                 /* announce and use multi-target PREQ, AE, batched PERR */
};

/* 802.11k neighbour-report data for an access port's AP. */
struct ap_config {
	bool present;
	struct mac_addr bssid;
	uint8_t op_class;
	uint8_t channel;
	char ssid[CONFIG_SSID_MAX + 1];
};

struct port_config {
	char name[CONFIG_PORT_NAME_MAX + 1];
	enum port_role role;
	char devargs[CONFIG_DEVARGS_MAX + 1];
	/* role mesh only (zero otherwise) */
	bool wired;                           /* medium "ethernet": a wired mesh link (wired_mesh.h) */
	bool radiotap;                        /* medium radio: frames carry a radiotap header */
	enum mesh_link link;                  /* what precedes the 802.11 header: from medium and radiotap */
	uint32_t link_rate_100kbps;           /* assumed link rate, 100 kb/s units (54 Mb/s = 540) */
	bool link_rate_set;                   /* link_rate_mbps given (a wired port else asks its PMD) */
	uint32_t path_cost;                   /* wired: the link metric of its neighbours, 0 = from the rate */
	uint16_t hello_interval_ms;           /* wired: our beacons on it every this long */
	uint8_t hello_loss_limit;             /* wired: hellos missed before a neighbour on it is lost */
	/* role access only (empty/absent otherwise) */
	char hostapd_ctrl[CONFIG_CTRL_PATH_MAX + 1]; /* "" = no hostapd */
	struct ap_config ap;
	/* role host only: a static IPv4 management address for the kernel interface (prefix_len 0: none) */
	uint32_t ipv4;                        /* network byte order */
	uint8_t prefix_len;
};

struct workers_config {
	unsigned int n_lcores;
	uint8_t lcores[CONFIG_MAX_LCORES];
	uint8_t main_lcore;
	uint16_t burst;
	uint32_t idle_sleep_us;               /* 0 = busy poll */
	uint32_t idle_polls;
};

struct tables_config {
	uint32_t fdb_entries;
	uint32_t path_entries;
	uint32_t fdb_aging_s;
	uint16_t pending_frames_per_dest;
	uint32_t pending_dests;
	uint32_t rmc_entries;
	uint32_t rmc_timeout_ms;
};

struct mempool_config {
	uint32_t mbufs;
	uint16_t cache;
	uint16_t data_room;
};

struct hwmp_config {
	uint8_t max_preq_retries;
	uint8_t root_mode;                    /* enum hwmp_root_mode */
	bool target_only;
	bool reply_and_forward;
	bool gate_announcements;
	uint32_t net_diameter_traversal_ms;
	uint32_t min_discovery_timeout_ms;
	uint32_t preq_min_interval_ms;
	uint32_t perr_min_interval_tu;
	uint32_t active_path_timeout_ms;
	uint32_t path_refresh_time_ms;
	uint32_t rann_interval_tu;
	uint32_t root_interval_tu;
	uint32_t path_to_root_timeout_tu;
	uint32_t confirmation_interval_tu;
	uint32_t switch_hysteresis_pct;       /* a route through another next hop must be this much better */
	uint32_t next_hop_hold_ms;            /* a flood's newer SN via another next hop waits for the current one's */
};

struct static_path {
	struct mac_addr dest;
	struct mac_addr next_hop;
	uint8_t port;                         /* index into node_config.ports (a mesh port) */
	uint32_t metric;
};

struct static_proxy {
	struct mac_addr station;
	struct mac_addr proxy;
};

/* A station pinned to a local (access or lan) port: never aged, never moved by learning. */
struct static_fdb_entry {
	struct mac_addr mac;
	uint8_t port; /* index into node_config.ports (an access or lan port) */
};

/* A neighbour taken as an established peer without Mesh Peering Management (a generator, a test rig,
 * a point-to-point link whose other end is configured the same way). */
struct static_peer {
	struct mac_addr mac;
	uint8_t port; /* index into node_config.ports (a mesh port) */
};

struct telemetry_config {
	bool enabled;
	bool pdump; /* rte_pdump_init: dpdk-dumpcap may capture the ports */
	uint16_t topology_interval_s; /* topology announcements to capable peers; 0: none (nor relayed) */
};

struct eal_config {
	bool no_huge;
	uint32_t memory_mb;
	unsigned int n_extra_args;
	char extra_args[CONFIG_MAX_EAL_ARGS][CONFIG_EAL_ARG_MAX + 1];
};

struct node_config {
	struct node_ident node;
	struct mesh_config mesh;
	unsigned int n_ports;
	struct port_config ports[CONFIG_MAX_PORTS];
	struct workers_config workers;
	struct tables_config tables;
	struct mempool_config mempool;
	struct hwmp_config hwmp;
	struct peering_config peering;
	struct sae_config sae;
	unsigned int n_static_peers;
	struct static_peer static_peers[CONFIG_MAX_STATIC_PEERS];
	unsigned int n_static_paths;
	struct static_path static_paths[CONFIG_MAX_STATIC_PATHS];
	unsigned int n_static_proxies;
	struct static_proxy static_proxies[CONFIG_MAX_STATIC_PROXIES];
	unsigned int n_static_fdb;
	struct static_fdb_entry static_fdb[CONFIG_MAX_STATIC_FDB];
	struct telemetry_config telemetry;
	struct eal_config eal;
	enum log_level log_level;
};

/* Zeroes all of cfg (padding included, so configs compare with memcmp) and applies every default. */
void config_set_defaults(struct node_config *cfg);

/* Loads and validates a JSON file; 0 on success, -1 with "<path>: ..." in err and cfg untouched. */
int config_load_file(const char *path, struct node_config *cfg, char *err, size_t errlen);

/* Same as config_load_file for len bytes of JSON text; never touches the filesystem (fuzz entry). */
int config_load_string(const char *text, size_t len, struct node_config *cfg, char *err, size_t errlen);

/* The effective config (defaults included) as a new JSON object that config_load_string accepts; NULL on ENOMEM. */
json_t *config_to_json(const struct node_config *cfg);

/* The port called name, or NULL. */
const struct port_config *config_find_port(const struct node_config *cfg, const char *name);

/* The host port (the node's own kernel interface), or NULL. */
const struct port_config *config_host_port(const struct node_config *cfg);

/* "mesh", "access", "lan" or "host" ("unknown" for other values). */
const char *port_role_name(enum port_role role);

#endif
