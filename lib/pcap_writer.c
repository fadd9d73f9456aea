#include "pcap_writer.h"

#include "codec.h"

#define PCAP_MAGIC_USEC 0xa1b2c3d4u
#define PCAP_SNAPLEN 65535

int pcap_writer_open(struct pcap_writer *w, const char *path, uint32_t linktype)
{
	uint8_t hdr[24];

	w->file = fopen(path, "wb");
	if (w->file == NULL)
		return -1;
	w->snaplen = PCAP_SNAPLEN;
	/* Little-endian on disk regardless of the host, so files are byte-identical everywhere. */
	put_le32(hdr, PCAP_MAGIC_USEC);
	put_le16(hdr + 4, 2);
	put_le16(hdr + 6, 4);
	put_le32(hdr + 8, 0);
	put_le32(hdr + 12, 0);
	put_le32(hdr + 16, w->snaplen);
	put_le32(hdr + 20, linktype);
	if (fwrite(hdr, sizeof(hdr), 1, w->file) != 1) {
		fclose(w->file);
		w->file = NULL;
		return -1;
	}
	return 0;
}

int pcap_writer_write(struct pcap_writer *w, const uint8_t *data, size_t len, uint64_t ts_usec)
{
	uint8_t rec[16];
	uint32_t caplen = len > w->snaplen ? w->snaplen : (uint32_t)len;

	put_le32(rec, (uint32_t)(ts_usec / 1000000));
	put_le32(rec + 4, (uint32_t)(ts_usec % 1000000));
	put_le32(rec + 8, caplen);
	put_le32(rec + 12, (uint32_t)len);
	if (fwrite(rec, sizeof(rec), 1, w->file) != 1)
		return -1;
	if (caplen > 0 && fwrite(data, caplen, 1, w->file) != 1)
		return -1;
	return 0;
}

int pcap_writer_close(struct pcap_writer *w)
{
	int ret = fclose(w->file);

	w->file = NULL;
	return ret == 0 ? 0 : -1;
}
