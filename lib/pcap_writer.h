/* Minimal pcap (libpcap classic format) file writer, for tshark checks and the air capture. */
#ifndef MESHPLANE_PCAP_WRITER_H
#define MESHPLANE_PCAP_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PCAP_LINKTYPE_ETHERNET 1
#define PCAP_LINKTYPE_IEEE802_11_RADIOTAP 127

struct pcap_writer {
	FILE *file;
	uint32_t snaplen;
};

/* Creates path and writes the global header; 0 on success, -1 with errno set. */
int pcap_writer_open(struct pcap_writer *w, const char *path, uint32_t linktype);

/* Appends one packet stamped ts_usec (microseconds since the epoch); 0 or -1. */
int pcap_writer_write(struct pcap_writer *w, const uint8_t *data, size_t len, uint64_t ts_usec);

/* Flushes and closes the file; 0 or -1. */
int pcap_writer_close(struct pcap_writer *w);

#endif
