#ifndef PODCAST_I2V_MOTION_COMPENSATION_H
#define PODCAST_I2V_MOTION_COMPENSATION_H

#include <stdint.h>

/// Motion-compensated interpolation between two RGB24 pictures: a motion field estimated once
/// per pair of source frames (one vector per 16x16 block of the picture halfway between them),
/// then any number of in-between pictures composed from it. Plain C with no state between
/// calls, so callers run pairs on several threads at once.

/// The motion field's blocks, in pixels.
#define PI2V_MCI_BLOCK 16

/// The field's size in blocks for a picture of `width` x `height` (ceil of each over the block).
int pi2v_mci_field_width(int width);
int pi2v_mci_field_height(int height);

/// Estimates the motion from `a` to `b` (RGB24, `width` x `height`, rows `stride` bytes apart):
/// writes field_width * field_height vectors (dx, dy pairs, pixels from a to b, row by row)
/// to `field`. Returns 0, or -1 when memory runs out.
int pi2v_mci_estimate(const uint8_t *a, const uint8_t *b, int width, int height, int stride, float *field);

/// The picture at `alpha` (0 is `a`, 1 is `b`) along the motion of `field`: every pixel a
/// cross-fade of `a` and `b`, each sampled (bilinearly) where the pixel's motion puts it.
void pi2v_mci_compose(const uint8_t *a, const uint8_t *b, int width, int height, int stride,
                      const float *field, float alpha, uint8_t *out, int out_stride);

#endif
