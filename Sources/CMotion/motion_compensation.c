#include "motion_compensation.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

// Motion estimation is bilateral: for a block of the picture halfway between a and b, the
// half-vector u is searched that makes a (at the block moved by -u) and b (moved by +u) agree.
// Every in-between picture then follows the same trajectories (u scaled by its time), so no
// pixel of the new picture is left without a source (no holes, unlike projecting a's blocks
// forward). A pyramid of luma pictures finds large motion cheaply: an exhaustive search at the
// coarsest level, then each finer level starts from the coarser answer and its neighbours'
// (as EPZS does) and walks downhill; a final half-pixel step and a 3x3 median of the field
// remove the stair steps and the odd wrong vector. A small penalty for leaving the
// neighbours' median keeps flat regions, where any vector fits, moving with their surroundings.

typedef struct {
    int w, h;
    uint8_t *p;
} plane;

enum { max_levels = 4, coarse_range = 4, fine_steps = 8 };

int pi2v_mci_field_width(int width) { return (width + PI2V_MCI_BLOCK - 1) / PI2V_MCI_BLOCK; }
int pi2v_mci_field_height(int height) { return (height + PI2V_MCI_BLOCK - 1) / PI2V_MCI_BLOCK; }

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static int luma(const uint8_t *rgb, int w, int h, int stride, plane *out) {
    out->w = w;
    out->h = h;
    out->p = malloc((size_t)w * h);
    if (!out->p) return -1;
    for (int y = 0; y < h; y++) {
        const uint8_t *s = rgb + (size_t)y * stride;
        uint8_t *d = out->p + (size_t)y * w;
        for (int x = 0; x < w; x++, s += 3) d[x] = (uint8_t)((77 * s[0] + 150 * s[1] + 29 * s[2] + 128) >> 8);
    }
    return 0;
}

static int halve(const plane *src, plane *out) {
    out->w = (src->w + 1) / 2;
    out->h = (src->h + 1) / 2;
    out->p = malloc((size_t)out->w * out->h);
    if (!out->p) return -1;
    for (int y = 0; y < out->h; y++) {
        const uint8_t *r0 = src->p + (size_t)(2 * y) * src->w;
        const uint8_t *r1 = src->p + (size_t)(2 * y + 1 < src->h ? 2 * y + 1 : 2 * y) * src->w;
        for (int x = 0; x < out->w; x++) {
            int x1 = 2 * x + 1 < src->w ? 2 * x + 1 : 2 * x;
            out->p[(size_t)y * out->w + x] = (uint8_t)((r0[2 * x] + r0[x1] + r1[2 * x] + r1[x1] + 2) >> 2);
        }
    }
    return 0;
}

/// Sum of absolute differences over the window [x0, x0+n) x [y0, y0+n) between a at -u and b
/// at +u (u in quarter pixels at this level), edges repeated.
static long window_sad(const plane *a, const plane *b, int x0, int y0, int n, int ux4, int uy4) {
    long sum = 0;
    if ((ux4 & 3) == 0 && (uy4 & 3) == 0) {
        int ux = ux4 >> 2, uy = uy4 >> 2;
        int inside = x0 - abs(ux) >= 0 && y0 - abs(uy) >= 0 && x0 + n + abs(ux) <= a->w && y0 + n + abs(uy) <= a->h;
        for (int y = 0; y < n; y++) {
            if (inside) {
                const uint8_t *pa = a->p + (size_t)(y0 + y - uy) * a->w + (x0 - ux);
                const uint8_t *pb = b->p + (size_t)(y0 + y + uy) * b->w + (x0 + ux);
                for (int x = 0; x < n; x++) sum += abs(pa[x] - pb[x]);
            } else {
                int ya = clampi(y0 + y - uy, 0, a->h - 1), yb = clampi(y0 + y + uy, 0, b->h - 1);
                for (int x = 0; x < n; x++) {
                    int xa = clampi(x0 + x - ux, 0, a->w - 1), xb = clampi(x0 + x + ux, 0, b->w - 1);
                    sum += abs(a->p[(size_t)ya * a->w + xa] - b->p[(size_t)yb * b->w + xb]);
                }
            }
        }
        return sum;
    }
    // Sub-pixel: the fraction is the same over the window, so four fixed weights per side
    // (a at -u and b at +u have mirrored fractions).
    int fxa = (-ux4) & 3, fya = (-uy4) & 3, ixa = (-ux4 - fxa) / 4, iya = (-uy4 - fya) / 4;
    int fxb = ux4 & 3, fyb = uy4 & 3, ixb = (ux4 - fxb) / 4, iyb = (uy4 - fyb) / 4;
    int wa[4] = {(4 - fxa) * (4 - fya), fxa * (4 - fya), (4 - fxa) * fya, fxa * fya};
    int wb[4] = {(4 - fxb) * (4 - fyb), fxb * (4 - fyb), (4 - fxb) * fyb, fxb * fyb};
    int lo_x = ixa < ixb ? ixa : ixb, hi_x = ixa < ixb ? ixb : ixa, lo_y = iya < iyb ? iya : iyb, hi_y = iya < iyb ? iyb : iya;
    if (x0 + lo_x >= 0 && y0 + lo_y >= 0 && x0 + n + hi_x + 1 <= a->w && y0 + n + hi_y + 1 <= a->h) {
        for (int y = 0; y < n; y++) {
            const uint8_t *a0 = a->p + (size_t)(y0 + y + iya) * a->w + x0 + ixa, *a1 = a0 + a->w;
            const uint8_t *b0 = b->p + (size_t)(y0 + y + iyb) * b->w + x0 + ixb, *b1 = b0 + b->w;
            for (int x = 0; x < n; x++) {
                int va = wa[0] * a0[x] + wa[1] * a0[x + 1] + wa[2] * a1[x] + wa[3] * a1[x + 1];
                int vb = wb[0] * b0[x] + wb[1] * b0[x + 1] + wb[2] * b1[x] + wb[3] * b1[x + 1];
                sum += abs(va - vb);
            }
        }
        return (sum + 8) >> 4;
    }
    for (int y = 0; y < n; y++) {
        int ya0 = clampi(y0 + y + iya, 0, a->h - 1), ya1 = clampi(y0 + y + iya + 1, 0, a->h - 1);
        int yb0 = clampi(y0 + y + iyb, 0, b->h - 1), yb1 = clampi(y0 + y + iyb + 1, 0, b->h - 1);
        const uint8_t *a0 = a->p + (size_t)ya0 * a->w, *a1 = a->p + (size_t)ya1 * a->w;
        const uint8_t *b0 = b->p + (size_t)yb0 * b->w, *b1 = b->p + (size_t)yb1 * b->w;
        for (int x = 0; x < n; x++) {
            int xa0 = clampi(x0 + x + ixa, 0, a->w - 1), xa1 = clampi(x0 + x + ixa + 1, 0, a->w - 1);
            int xb0 = clampi(x0 + x + ixb, 0, b->w - 1), xb1 = clampi(x0 + x + ixb + 1, 0, b->w - 1);
            int va = wa[0] * a0[xa0] + wa[1] * a0[xa1] + wa[2] * a1[xa0] + wa[3] * a1[xa1];
            int vb = wb[0] * b0[xb0] + wb[1] * b0[xb1] + wb[2] * b1[xb0] + wb[3] * b1[xb1];
            sum += abs(va - vb);
        }
    }
    return (sum + 8) >> 4;
}

static int median3(int a, int b, int c) {
    int lo = a < b ? a : b, hi = a < b ? b : a;
    return c < lo ? lo : c > hi ? hi : c;
}

typedef struct {
    const plane *a, *b;
    int level, bw, bh, n;  // n: the window's side at this level
    long lambda;           // penalty per quarter pixel away from the neighbours' median
    int *u;                // bw * bh * 2, quarter pixels at this level
} level_search;

static void window_origin(const level_search *s, int bx, int by, int *x0, int *y0) {
    int cx = (bx * PI2V_MCI_BLOCK + PI2V_MCI_BLOCK / 2) >> s->level;
    int cy = (by * PI2V_MCI_BLOCK + PI2V_MCI_BLOCK / 2) >> s->level;
    *x0 = cx - s->n / 2;
    *y0 = cy - s->n / 2;
}

/// The median of the left, top and top-right vectors already found (raster order).
static void predictor(const level_search *s, int bx, int by, int *px, int *py) {
    int n = 0, xs[3], ys[3];
    const int *u = s->u;
    if (bx > 0) { xs[n] = u[2 * (by * s->bw + bx - 1)]; ys[n++] = u[2 * (by * s->bw + bx - 1) + 1]; }
    if (by > 0) { xs[n] = u[2 * ((by - 1) * s->bw + bx)]; ys[n++] = u[2 * ((by - 1) * s->bw + bx) + 1]; }
    if (by > 0 && bx + 1 < s->bw) { xs[n] = u[2 * ((by - 1) * s->bw + bx + 1)]; ys[n++] = u[2 * ((by - 1) * s->bw + bx + 1) + 1]; }
    if (n == 3) { *px = median3(xs[0], xs[1], xs[2]); *py = median3(ys[0], ys[1], ys[2]); }
    else if (n > 0) { *px = xs[0]; *py = ys[0]; }
    else { *px = 0; *py = 0; }
}

static long cost(const level_search *s, int x0, int y0, int ux, int uy, int px, int py) {
    return window_sad(s->a, s->b, x0, y0, s->n, ux, uy) + s->lambda * (abs(ux - px) + abs(uy - py));
}

/// Walks from the best of `candidates` by `step` (quarter pixels) while the cost falls.
static void descend(level_search *s, int bx, int by, const int *candidates, int count, int step, int steps) {
    int x0, y0, px, py;
    window_origin(s, bx, by, &x0, &y0);
    predictor(s, bx, by, &px, &py);
    int bestx = candidates[0], besty = candidates[1];
    long best = cost(s, x0, y0, bestx, besty, px, py);
    for (int i = 1; i < count; i++) {
        long c = cost(s, x0, y0, candidates[2 * i], candidates[2 * i + 1], px, py);
        if (c < best) { best = c; bestx = candidates[2 * i]; besty = candidates[2 * i + 1]; }
    }
    static const int around[8][2] = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}, {-1, -1}, {1, -1}, {-1, 1}, {1, 1}};
    for (int k = 0; k < steps; k++) {
        int cx = bestx, cy = besty;
        for (int d = 0; d < 8; d++) {
            int ux = cx + around[d][0] * step, uy = cy + around[d][1] * step;
            long c = cost(s, x0, y0, ux, uy, px, py);
            if (c < best) { best = c; bestx = ux; besty = uy; }
        }
        if (bestx == cx && besty == cy) break;
    }
    s->u[2 * (by * s->bw + bx)] = bestx;
    s->u[2 * (by * s->bw + bx) + 1] = besty;
}

static void median_filter(const int *u, int bw, int bh, float *field) {
    for (int by = 0; by < bh; by++)
        for (int bx = 0; bx < bw; bx++)
            for (int c = 0; c < 2; c++) {
                int v[9], n = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        int x = bx + dx, y = by + dy;
                        if (x >= 0 && y >= 0 && x < bw && y < bh) v[n++] = u[2 * (y * bw + x) + c];
                    }
                for (int i = 1; i < n; i++)
                    for (int j = i; j > 0 && v[j - 1] > v[j]; j--) { int t = v[j]; v[j] = v[j - 1]; v[j - 1] = t; }
                // u is half the motion a→b, in quarter pixels.
                field[2 * (by * bw + bx) + c] = (float)(n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) * 0.5f;
            }
}

int pi2v_mci_estimate(const uint8_t *a, const uint8_t *b, int width, int height, int stride, float *field) {
    int bw = pi2v_mci_field_width(width), bh = pi2v_mci_field_height(height), rc = -1;
    plane pa[max_levels] = {{0}}, pb[max_levels] = {{0}};
    int *u = malloc(sizeof(int) * 2 * (size_t)bw * bh), *coarse = malloc(sizeof(int) * 2 * (size_t)bw * bh);
    int levels = 1;
    if (!u || !coarse || luma(a, width, height, stride, &pa[0]) || luma(b, width, height, stride, &pb[0])) goto done;
    // Down to about 128 pixels wide: an 8-pixel window there covers 64 at full size.
    while (levels < max_levels && (width >> levels) >= 96 && (height >> levels) >= 48) {
        if (halve(&pa[levels - 1], &pa[levels]) || halve(&pb[levels - 1], &pb[levels])) goto done;
        levels++;
    }
    for (int level = levels - 1; level >= 0; level--) {
        int n = (PI2V_MCI_BLOCK >> level) < 8 ? 8 : PI2V_MCI_BLOCK >> level;
        level_search s = {&pa[level], &pb[level], level, bw, bh, n, (long)n * n / 4, u};
        for (int by = 0; by < bh; by++)
            for (int bx = 0; bx < bw; bx++) {
                if (level == levels - 1) {
                    // Exhaustive over ±coarse_range pixels (±coarse_range << level at full size).
                    int r = levels == 1 ? 2 * coarse_range : coarse_range, k = 0;
                    int *cands = malloc(sizeof(int) * 2 * (size_t)(2 * r + 1) * (2 * r + 1));
                    if (!cands) goto done;
                    for (int y = -r; y <= r; y++)
                        for (int x = -r; x <= r; x++) { cands[2 * k] = 4 * x; cands[2 * k + 1] = 4 * y; k++; }
                    descend(&s, bx, by, cands, k, 4, 0);
                    free(cands);
                } else {
                    int cands[8], k = 0;
                    cands[2 * k] = 2 * coarse[2 * (by * bw + bx)]; cands[2 * k + 1] = 2 * coarse[2 * (by * bw + bx) + 1]; k++;
                    if (bx > 0) { cands[2 * k] = u[2 * (by * bw + bx - 1)]; cands[2 * k + 1] = u[2 * (by * bw + bx - 1) + 1]; k++; }
                    if (by > 0) { cands[2 * k] = u[2 * ((by - 1) * bw + bx)]; cands[2 * k + 1] = u[2 * ((by - 1) * bw + bx) + 1]; k++; }
                    cands[2 * k] = 0; cands[2 * k + 1] = 0; k++;
                    // Whole pixels, then a half-pixel step at full size.
                    for (int i = 0; i < k; i++) { cands[2 * i] &= ~3; cands[2 * i + 1] &= ~3; }
                    descend(&s, bx, by, cands, k, 4, fine_steps);
                    if (level == 0) {
                        int at[2] = {u[2 * (by * bw + bx)], u[2 * (by * bw + bx) + 1]};
                        descend(&s, bx, by, at, 1, 2, 1);
                    }
                }
            }
        memcpy(coarse, u, sizeof(int) * 2 * (size_t)bw * bh);
    }
    median_filter(u, bw, bh, field);
    rc = 0;
done:
    for (int i = 0; i < max_levels; i++) { free(pa[i].p); free(pb[i].p); }
    free(u);
    free(coarse);
    return rc;
}

/// v in 1/256 pixel, rounded (lroundf is a library call in the innermost loop; positions are
/// never below -4096 pixels, a vector's length off the picture).
static inline int fix8(float v) { return (int)(v * 256.0f + 1048576.5f) - 1048576; }

/// Bilinear RGB at (x, y) in 1/256 pixels, edges repeated; the sum is weighted by 65536.
static inline void sample(const uint8_t *img, int w, int h, int stride, int x, int y, int rgb[3]) {
    int maxx = (w - 1) << 8, maxy = (h - 1) << 8;
    x = x < 0 ? 0 : x > maxx ? maxx : x;
    y = y < 0 ? 0 : y > maxy ? maxy : y;
    int x0 = x >> 8, y0 = y >> 8, fx = x & 255, fy = y & 255;
    int dx = x0 + 1 < w ? 3 : 0;
    size_t dy = y0 + 1 < h ? (size_t)stride : 0;
    const uint8_t *p = img + (size_t)y0 * stride + 3 * x0;
    int w00 = (256 - fx) * (256 - fy), w01 = fx * (256 - fy), w10 = (256 - fx) * fy, w11 = fx * fy;
    for (int c = 0; c < 3; c++) rgb[c] = w00 * p[c] + w01 * p[dx + c] + w10 * p[dy + c] + w11 * p[dy + dx + c];
}

/// The two blocks whose centres pixel `p` lies between (the same one past the outer centres),
/// and how far it is from the first to the second.
static inline float between_centres(int p, int blocks, int *i0, int *i1) {
    float f = (p + 0.5f) / PI2V_MCI_BLOCK - 0.5f;
    if (f < 0) f = 0;
    if (f > blocks - 1) f = (float)(blocks - 1);
    *i0 = (int)f;
    *i1 = *i0 + 1 < blocks ? *i0 + 1 : *i0;
    return f - *i0;
}

void pi2v_mci_compose(const uint8_t *a, const uint8_t *b, int width, int height, int stride,
                      const float *field, float alpha, uint8_t *out, int out_stride) {
    int bw = pi2v_mci_field_width(width), bh = pi2v_mci_field_height(height);
    // Fixed point: positions in 1/256 pixel, the cross-fade weight in 1/256.
    int wa = (int)lroundf((1 - alpha) * 256), wb = 256 - wa;
    float *row = malloc(sizeof(float) * 2 * (size_t)bw);
    if (!row) {  // no memory for one row of vectors: a plain cross-fade beats no picture
        for (int y = 0; y < height; y++)
            for (int x = 0; x < 3 * width; x++)
                out[(size_t)y * out_stride + x] = (uint8_t)((wa * a[(size_t)y * stride + x] + wb * b[(size_t)y * stride + x] + 128) >> 8);
        return;
    }
    for (int y = 0; y < height; y++) {
        // The field is sampled between block centres: bilinear, so motion varies smoothly
        // across block edges (no block seams in the picture). Down first, once per row.
        int by0, by1;
        float ty = between_centres(y, bh, &by0, &by1);
        for (int bx = 0; bx < bw; bx++)
            for (int c = 0; c < 2; c++)
                row[2 * bx + c] = (1 - ty) * field[2 * (by0 * bw + bx) + c] + ty * field[2 * (by1 * bw + bx) + c];
        uint8_t *o = out + (size_t)y * out_stride;
        for (int x = 0; x < width; x++) {
            int bx0, bx1;
            float tx = between_centres(x, bw, &bx0, &bx1);
            float vx = (1 - tx) * row[2 * bx0] + tx * row[2 * bx1];
            float vy = (1 - tx) * row[2 * bx0 + 1] + tx * row[2 * bx1 + 1];
            int ca[3], cb[3];
            sample(a, width, height, stride, fix8(x - alpha * vx), fix8(y - alpha * vy), ca);
            sample(b, width, height, stride, fix8(x + (1 - alpha) * vx), fix8(y + (1 - alpha) * vy), cb);
            for (int c = 0; c < 3; c++) {
                // Weights: 65536 per sample times 256 for the fade; 64-bit, as 255 · 2^24 · 2 overflows 32.
                int64_t v = (int64_t)wa * ca[c] + (int64_t)wb * cb[c];
                o[3 * x + c] = (uint8_t)((v + (1 << 23)) >> 24);
            }
        }
    }
    free(row);
}
