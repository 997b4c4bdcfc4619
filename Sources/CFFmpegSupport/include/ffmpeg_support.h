#ifndef PODCAST_I2V_FFMPEG_SUPPORT_H
#define PODCAST_I2V_FFMPEG_SUPPORT_H
// FFmpeg's function-like macros and constants that Swift cannot import.
#include <stdint.h>
#include <libavutil/avutil.h>

int pff_averror_eagain(void);
int pff_averror_eof(void);
int pff_averror_enomem(void);
/// av_err2str: FFmpeg's reason for an error code, into buf.
const char *pff_err2str(int errnum, char *buf, int size);
int64_t pff_nopts_value(void);
AVRational pff_time_base_q(void);
/// Keeps FFmpeg's own logging quiet (we report errors ourselves) unless `verbose`.
void pff_set_log_quiet(int quiet);
/// The rotation a stream's display matrix asks for, in degrees counterclockwise (0 without one).
double pff_stream_rotation(const void *stream);
#endif
