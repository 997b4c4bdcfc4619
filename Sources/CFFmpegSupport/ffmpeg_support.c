#include "ffmpeg_support.h"

#include <errno.h>
#include <libavutil/error.h>
#include <libavutil/log.h>

int pff_averror_eagain(void) { return AVERROR(EAGAIN); }
int pff_averror_eof(void) { return AVERROR_EOF; }
int pff_averror_enomem(void) { return AVERROR(ENOMEM); }

const char *pff_err2str(int errnum, char *buf, int size) {
    av_strerror(errnum, buf, (size_t)size);
    return buf;
}

int64_t pff_nopts_value(void) { return AV_NOPTS_VALUE; }
AVRational pff_time_base_q(void) { return AV_TIME_BASE_Q; }
void pff_set_log_quiet(int quiet) { av_log_set_level(quiet ? AV_LOG_QUIET : AV_LOG_INFO); }

#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <math.h>

double pff_stream_rotation(const void *stream) {
    size_t size = 0;
    const uint8_t *matrix = av_stream_get_side_data((const AVStream *)stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (!matrix || size < 9 * sizeof(int32_t)) return 0;
    double r = av_display_rotation_get((const int32_t *)matrix);
    return isnan(r) ? 0 : r;
}
