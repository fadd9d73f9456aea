#include "topology.h"

#include <math.h>
#include <stdlib.h>

#include "airtime.h"

/* OFDM (802.11a/g) rates in 100 kb/s, fastest first. */
static const uint32_t ofdm_rates[] = {540, 480, 360, 240, 180, 120, 90, 60};
#define N_RATES (sizeof(ofdm_rates) / sizeof(ofdm_rates[0]))

uint32_t topo_rate_for_distance(double d, double r)
{
	size_t i = r > 0 ? (size_t)(d / r * N_RATES) : 0;

	return ofdm_rates[i < N_RATES ? i : N_RATES - 1];
}

/* A frame takes the link's airtime (the metric is the airtime of a test frame, in 10.24 µs units) plus
 * the model's fixed per-hop delay. */
static uint32_t add(struct sim *s, uint32_t a, uint32_t b, uint32_t metric, const struct topo_link_model *m)
{
	return sim_add_link(s, a, b, metric, m->loss_ppm, m->delay_us + (uint32_t)((uint64_t)metric * 1024 / 100));
}

static uint32_t link_metric(struct sim *s, const struct topo_link_model *m)
{
	uint32_t rate = m->uniform_rate ? ofdm_rates[0] : ofdm_rates[sim_rand(s) % N_RATES];

	return airtime_metric(rate, m->loss_ppm, AIRTIME_OVERHEAD_OFDM_US);
}

void topo_line(struct sim *s, const struct topo_link_model *m)
{
	for (uint32_t i = 0; i + 1 < sim_nodes(s); i++)
		add(s, i, i + 1, link_metric(s, m), m);
}

void topo_ring(struct sim *s, const struct topo_link_model *m)
{
	topo_line(s, m);
	if (sim_nodes(s) > 2)
		add(s, sim_nodes(s) - 1, 0, link_metric(s, m), m);
}

void topo_grid(struct sim *s, uint32_t w, uint32_t h, const struct topo_link_model *m)
{
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++) {
			uint32_t i = y * w + x;

			if (x + 1 < w)
				add(s, i, i + 1, link_metric(s, m), m);
			if (y + 1 < h)
				add(s, i, i + w, link_metric(s, m), m);
		}
}

uint32_t topo_random_geometric(struct sim *s, double radius, const struct topo_link_model *m)
{
	uint32_t n = sim_nodes(s), links = 0;
	double side = sqrt((double)n);
	double *x = malloc(sizeof(*x) * n), *y = malloc(sizeof(*y) * n);

	if (x == NULL || y == NULL) {
		free(x);
		free(y);
		return 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		x[i] = (double)(sim_rand(s) >> 11) / 9007199254740992.0 * side;
		y[i] = (double)(sim_rand(s) >> 11) / 9007199254740992.0 * side;
	}
	/* O(n^2) pairs: 500k distance checks for 1,000 nodes, a few ms. */
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = i + 1; j < n; j++) {
			double d = hypot(x[i] - x[j], y[i] - y[j]);

			if (d <= radius) {
				uint32_t rate = topo_rate_for_distance(d, radius);
				uint32_t metric = airtime_metric(m->uniform_rate ? ofdm_rates[0] : rate, m->loss_ppm,
								 AIRTIME_OVERHEAD_OFDM_US);

				if (add(s, i, j, metric, m) != SIM_NONE)
					links++;
			}
		}
	free(x);
	free(y);
	return links;
}
