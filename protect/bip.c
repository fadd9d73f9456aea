#include "bip.h"

#include <string.h>

#include "mesh_crypto.h"

#define WLAN_EID_MMIE 76
#define BIP_MIC_LEN 8
#define HDR_LEN 24
#define AAD_LEN 20

/* AES-CMAC over AAD || body, the body's MMIE MIC already zeroed in the copy. */
static int bip_mic(const uint8_t igtk[BIP_IGTK_LEN], const uint8_t *frame, size_t len, uint8_t mic[BIP_MIC_LEN])
{
	uint8_t buf[AAD_LEN + BIP_MAX_FRAME], full[AES_CMAC_LEN];
	size_t body = len - HDR_LEN;

	buf[0] = frame[0];
	buf[1] = frame[1] & (uint8_t)~(0x08 | 0x10 | 0x20); /* Retry, Power Management, More Data */
	memcpy(buf + 2, frame + 4, 18);
	memcpy(buf + AAD_LEN, frame + HDR_LEN, body);
	memset(buf + AAD_LEN + body - BIP_MIC_LEN, 0, BIP_MIC_LEN);
	if (aes_cmac(igtk, buf, AAD_LEN + body, full) != 0)
		return -1;
	memcpy(mic, full, BIP_MIC_LEN);
	mesh_wipe(full, sizeof(full));
	return 0;
}

int bip_protect(const uint8_t igtk[BIP_IGTK_LEN], uint8_t *frame, size_t *len, size_t cap, uint16_t key_id,
		uint64_t ipn)
{
	uint8_t *m = frame + *len;

	if (*len < HDR_LEN || *len + BIP_MMIE_LEN > cap || *len + BIP_MMIE_LEN > BIP_MAX_FRAME || ipn > BIP_IPN_MAX)
		return -1;
	m[0] = WLAN_EID_MMIE;
	m[1] = 16;
	m[2] = (uint8_t)key_id;
	m[3] = (uint8_t)(key_id >> 8);
	for (int i = 0; i < 6; i++)
		m[4 + i] = (uint8_t)(ipn >> (8 * i));
	memset(m + 10, 0, BIP_MIC_LEN);
	*len += BIP_MMIE_LEN;
	return bip_mic(igtk, frame, *len, m + 10);
}

int bip_mmie_read(const uint8_t *frame, size_t len, uint16_t *key_id, uint64_t *ipn)
{
	const uint8_t *m;

	if (len < HDR_LEN + BIP_MMIE_LEN || len > BIP_MAX_FRAME)
		return -1;
	m = frame + len - BIP_MMIE_LEN;
	if (m[0] != WLAN_EID_MMIE || m[1] != 16)
		return -1;
	*key_id = (uint16_t)(m[2] | m[3] << 8);
	*ipn = 0;
	for (int i = 0; i < 6; i++)
		*ipn |= (uint64_t)m[4 + i] << (8 * i);
	return 0;
}

int bip_verify(const uint8_t igtk[BIP_IGTK_LEN], const uint8_t *frame, size_t len)
{
	uint8_t mic[BIP_MIC_LEN];
	uint16_t key_id;
	uint64_t ipn;

	if (bip_mmie_read(frame, len, &key_id, &ipn) < 0)
		return -1;
	if (bip_mic(igtk, frame, len, mic) != 0)
		return -2;
	return mesh_equal_ct(mic, frame + len - BIP_MIC_LEN, BIP_MIC_LEN) ? 0 : -2;
}
