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
