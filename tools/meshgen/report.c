/* Progress lines (stderr, so stdout stays one JSON document) and the JSON summary. */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "pcap_writer.h"

void mg_report_progress(double elapsed_s, double dt, const struct mg_counters *prev, const struct mg_counters *cur)
{
	uint64_t tx = cur->tx_packets - prev->tx_packets, rx = cur->rx_packets - prev->rx_packets;
	double loss = tx > 0 && rx < tx ? 100.0 * (double)(tx - rx) / (double)tx : 0.0;

	fprintf(stderr, "meshgen: %6.1f s  tx %7.3f Mpps  rx %7.3f Mpps  loss %6.2f %%  reordered %llu\n",
		elapsed_s, (double)tx / dt / 1e6, (double)rx / dt / 1e6, loss,
		(unsigned long long)cur->reordered);
}

static json_t *latency_json(const struct mg_latency *l, uint64_t tsc_hz)
{
	double us = 1e6 / (double)tsc_hz;

	return json_pack("{s:I, s:f, s:f, s:f, s:f, s:f}",
			 "samples", (json_int_t)l->samples,
			 "min", (double)l->min * us,
			 "p50", (double)mg_latency_quantile(l, 0.50) * us,
			 "p90", (double)mg_latency_quantile(l, 0.90) * us,
			 "p99", (double)mg_latency_quantile(l, 0.99) * us,
			 "max", (double)l->max * us);
}

int mg_report_summary(const struct mg_opts *o, const struct mg_run *r, uint64_t tsc_hz)
{
	const struct mg_counters *c = &r->live;
	double secs = (double)(r->t_tx_end - r->t_start) / (double)tsc_hz;
	uint64_t lost = c->tx_packets > c->rx_packets ? c->tx_packets - c->rx_packets : 0;
	json_t *root;
	int ret;

	if (secs <= 0)
		secs = 1e-9;
	/* Rates are over the transmit time: what the drain receives was sent during it. */
	root = json_pack("{s:s, s:s, s:o, s:o, s:I, s:I, s:I, s:f, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:f,"
			 " s:I, s:f, s:I, s:I, s:I, s:I, s:o}",
			 "kind", mg_kind_name(o->kind),
			 "rx_kind", mg_kind_name(o->rx_kind),
			 "size", o->imix ? json_string("imix") : json_integer(o->size),
			 "rate_pps", o->rate_pps == 0 ? json_string("max") : json_integer((json_int_t)o->rate_pps),
			 "flows", (json_int_t)o->flows,
			 "stations", (json_int_t)o->stations,
			 "mesh_dests", (json_int_t)o->mesh_dests,
			 "duration_s", secs,
			 "tx_packets", (json_int_t)c->tx_packets,
			 "rx_packets", (json_int_t)c->rx_packets,
			 "tx_pps", (double)c->tx_packets / secs,
			 "rx_pps", (double)c->rx_packets / secs,
			 "tx_mpps", (double)c->tx_packets / secs / 1e6,
			 "rx_mpps", (double)c->rx_packets / secs / 1e6,
			 "tx_bps", (double)c->tx_bits / secs,
			 "rx_bps", (double)c->rx_bits / secs,
			 "loss_packets", (json_int_t)lost,
			 "loss_pct", c->tx_packets ? 100.0 * (double)lost / (double)c->tx_packets : 0.0,
			 "reordered", (json_int_t)c->reordered,
			 "rx_other", (json_int_t)c->rx_other,
			 "tx_port_rx", (json_int_t)c->tx_port_rx,
			 "tx_nombuf", (json_int_t)c->tx_nombuf,
			 "latency_us", latency_json(&r->lat, tsc_hz));
	if (root == NULL) {
		fprintf(stderr, "meshgen: cannot build the JSON summary\n");
		return -1;
	}
	if (o->pcap_path != NULL)
		json_object_set_new(root, "pcap", json_string(o->pcap_path));
	if (r->ccmp != NULL)
		json_object_set_new(root, "ccmp",
				    json_pack("{s:b, s:b, s:b, s:I, s:I, s:I, s:I, s:I}",
					      "tx_protected", mg_kind_protected(o, o->kind) && o->pcap_path == NULL,
					      "mtk", o->has_mtk, "mgtk", o->has_mgtk,
					      "tx_encrypted", (json_int_t)c->tx_ccmp_encrypted,
					      "rx_decrypted", (json_int_t)c->rx_ccmp_decrypted,
					      "rx_mic_failure", (json_int_t)c->rx_ccmp_mic_failure,
					      "rx_no_key", (json_int_t)c->rx_ccmp_no_key,
					      "rx_replay", (json_int_t)c->rx_ccmp_replay));
	if (o->json_path != NULL)
		ret = json_dump_file(root, o->json_path, JSON_INDENT(2) | JSON_SORT_KEYS);
	else
		ret = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (ret == 0 && o->json_path == NULL)
		fputc('\n', stdout);
	json_decref(root);
	if (ret != 0)
		fprintf(stderr, "meshgen: --json: cannot write \"%s\"\n", o->json_path ? o->json_path : "stdout");
	return ret == 0 ? 0 : -1;
}

int mg_report_capture(const struct mg_opts *o, const struct mg_run *r)
{
	struct pcap_writer w;
	uint32_t linktype = o->rx_kind == MG_KIND_ETH || o->wired ? PCAP_LINKTYPE_ETHERNET
			    : o->radiotap ? PCAP_LINKTYPE_IEEE802_11_RADIOTAP : 105; /* 105: bare 802.11 */

	if (pcap_writer_open(&w, o->capture_path, linktype) != 0) {
		fprintf(stderr, "meshgen: --capture: cannot create \"%s\": %s\n", o->capture_path, strerror(errno));
		return -1;
	}
	for (unsigned i = 0; i < r->captured; i++)
		if (pcap_writer_write(&w, r->capture + (size_t)i * MG_CAPTURE_SNAP, r->capture_len[i], 0) != 0)
			break;
	if (pcap_writer_close(&w) != 0) {
		fprintf(stderr, "meshgen: --capture: cannot write \"%s\"\n", o->capture_path);
		return -1;
	}
	return 0;
}
