/* Classifies a received frame by port role: what the dataplane does with it, or why it drops it.
 * Pure logic over (buf, len), shared by the dataplane and the fuzzers. */
#ifndef MESHPLANE_FRAME_CLASS_H
#define MESHPLANE_FRAME_CLASS_H

#include <stddef.h>
#include <stdint.h>

#include "mesh_data.h"
#include "wired_mesh.h"

/* Every class has a counter; names are telemetry keys (letters, digits, '_'). */
#define FRAME_CLASSES(X)                                                                   \
	X(mesh_data_unicast)    /* 4-address mesh data */                                  \
	X(mesh_data_group)      /* 3-address group mesh data */                            \
	X(mesh_beacon)          /* beacon (any Mesh ID: the neighbour manager decides) */   \
	X(mesh_hwmp_action)     /* Mesh category, HWMP or gate announcement action */       \
	X(mesh_other_action)    /* self-protected peering and other action frames */        \
	X(mesh_protected_action) /* action frame under CCMP (secure mesh HWMP): for the keys' holder */ \
	X(mesh_other_mgmt)      /* probe, auth and other management frames */              \
	X(mesh_null_data)       /* (QoS) Null data: a peer's power-mode signal, no payload */ \
	X(eth_unicast)          /* Ethernet frame to an individual address */              \
	X(eth_group)            /* Ethernet broadcast or multicast */                       \
	X(eth_link_local)       /* 01:80:c2:00:00:0x (LLDP, EAPOL, STP): never bridged */    \
	X(drop_bad_radiotap)    /* radiotap version or length invalid */                    \
	X(drop_not_wired_mesh)  /* wired mesh port: another EtherType (a plain host on the segment) */ \
	X(drop_bad_wired_header) /* wired mesh port: Ethernet addresses not the 802.11 receiver and transmitter */ \
	X(drop_truncated)       /* shorter than its headers say */                          \
	X(drop_not_mesh_data)   /* data frame that is not QoS data with Mesh Control */     \
	X(drop_bad_ds)          /* ToDS/FromDS or receiver address invalid for mesh data */ \
	X(drop_bad_ae)          /* address extension mode invalid for the frame */          \
	X(drop_protected)       /* protected data frame in an open mesh (mesh.security none) */ \
	X(drop_unprotected)     /* secure mesh: mesh data without protection */            \
	X(drop_unknown_key)     /* secure mesh: protected data from a transmitter we have no key for, or under another key ID */ \
	X(drop_mic_failure)     /* secure mesh: CCMP header malformed or MIC did not verify */ \
	X(drop_replay)          /* secure mesh: packet number not above the last one taken */ \
	X(drop_amsdu)           /* A-MSDU aggregate (not decoded; Linux 6.1 sends none in a mesh) */ \
	X(drop_bad_element)     /* management frame whose elements run past the end */      \
	X(drop_control)         /* 802.11 control frames (ACK, RTS, ...) */                 \
	X(drop_bad_ether)       /* runt Ethernet frame or 802.3 length beyond the frame */

enum frame_class {
#define FRAME_CLASS_ENUM(name) FRAME_CLASS_##name,
	FRAME_CLASSES(FRAME_CLASS_ENUM)
#undef FRAME_CLASS_ENUM
	FRAME_CLASS_COUNT
};

struct frame_view {
	uint16_t l2_off; /* offset of the 802.11 or Ethernet header (after radiotap or the wired header) */
	uint16_t l2_len; /* its length, without a trailing FCS */
	struct mesh_data_hdr data; /* decoded header of mesh_data_unicast / mesh_data_group frames */
	struct ether_info eth;     /* parsed header of eth_unicast / eth_group frames */
};

/* Name of a class ("mesh_data_unicast", ...). */
const char *frame_class_name(enum frame_class c);

/* True for the drop_* classes. */
static inline int frame_class_is_drop(enum frame_class c)
{
	return c >= FRAME_CLASS_drop_bad_radiotap && c < FRAME_CLASS_COUNT;
}

/* Classifies a frame from a mesh port whose frames carry link before the 802.11 header. */
enum frame_class frame_classify_mesh(const uint8_t *buf, size_t len, enum mesh_link link, struct frame_view *view);

/* Classifies a frame from an access or lan port (Ethernet). */
enum frame_class frame_classify_ether(const uint8_t *buf, size_t len, struct frame_view *view);

#endif
