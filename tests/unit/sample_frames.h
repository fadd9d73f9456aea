/* Canonical sample frames shared by the codec tests and the tshark oracle test. */
#ifndef MESHPLANE_TEST_SAMPLE_FRAMES_H
#define MESHPLANE_TEST_SAMPLE_FRAMES_H

#include <stdbool.h>

#include "hwmp_elements.h"
#include "mesh_data.h"
#include "mgmt.h"

extern const struct mac_addr sample_mp1, sample_mp2, sample_mp3, sample_sta1, sample_sta2;

/* A unicast mesh data header from mp1 (A2) to mp2 (A1), mesh DA mp3, SA mp1; AE 2 adds sta DA/SA. */
struct mesh_data_hdr sample_unicast_hdr(unsigned ae, uint16_t ethertype);

/* A group mesh data header from mp1 to the broadcast address; AE 1 adds sta1 as end source. */
struct mesh_data_hdr sample_group_hdr(unsigned ae, uint16_t ethertype);

/* A PREQ from mp1 with n targets (mp2, mp3, then generated ones), AE optional. */
struct hwmp_preq sample_preq(bool ae, unsigned n);

/* A PREP from mp3 for mp1, AE optional. */
struct hwmp_prep sample_prep(bool ae);

/* A PERR with n destinations; every odd one carries AE. */
struct hwmp_perr sample_perr(unsigned n);

/* A RANN from mp1 as gate. */
struct hwmp_rann sample_rann(void);

/* A GANN from mp1. */
struct hwmp_gann sample_gann(void);

/* A mesh beacon from mp1 with Mesh ID "campus-mesh". */
struct beacon sample_beacon(void);

/* The management header of an action frame from mp1 to mp2. */
struct mgmt_hdr sample_action_hdr(void);

#endif
