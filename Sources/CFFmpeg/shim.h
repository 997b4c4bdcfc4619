#ifndef PODCAST_I2V_CFFMPEG_SHIM_H
#define PODCAST_I2V_CFFMPEG_SHIM_H
// Debian's FFmpeg 5.1 (libavformat-dev, libavcodec-dev, libavfilter-dev, libswscale-dev, libswresample-dev).
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersrc.h>
#include <libavfilter/buffersink.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>
#include <libavutil/avutil.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/channel_layout.h>
#include <libavutil/pixdesc.h>
#include <libavutil/sha.h>
#include <libavutil/audio_fifo.h>
#endif
