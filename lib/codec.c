#include "codec.h"

const char *codec_strerror(int status)
{
	switch ((enum codec_status)status) {
	case CODEC_OK: return "ok";
	case CODEC_ERR_TRUNCATED: return "truncated frame";
	case CODEC_ERR_NO_SPACE: return "output buffer too small";
	case CODEC_ERR_BAD_VERSION: return "unsupported version";
	case CODEC_ERR_BAD_HEADER_LEN: return "radiotap length shorter than its fields";
	case CODEC_ERR_NOT_DATA: return "not a QoS data frame";
	case CODEC_ERR_NO_MESH_CONTROL: return "no mesh control field";
	case CODEC_ERR_BAD_DS: return "ToDS/FromDS not valid for mesh data";
	case CODEC_ERR_BAD_AE: return "address extension mode not valid for this frame";
	case CODEC_ERR_NOT_MGMT: return "not the expected management frame";
	case CODEC_ERR_ELEMENT_OVERRUN: return "information element runs past the end";
	case CODEC_ERR_BAD_ELEMENT_ID: return "unexpected element id";
	case CODEC_ERR_BAD_LENGTH: return "element length does not match its content";
	case CODEC_ERR_BAD_COUNT: return "target or destination count out of range";
	case CODEC_ERR_TOO_LONG: return "field longer than allowed";
	case CODEC_ERR_BAD_ETHER: return "802.3 length larger than the frame";
	case CODEC_ERR_PROTECTED: return "protected frame";
	case CODEC_ERR_NULL_DATA: return "null data frame";
	case CODEC_ERR_AMSDU: return "A-MSDU";
	}
	return "unknown error";
}
