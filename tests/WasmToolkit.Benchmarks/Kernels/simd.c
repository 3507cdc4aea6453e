/* 128-bit SIMD (built with -msimd128, wasm_simd128.h intrinsics): f32x4 products clamped with min/max and summed,
 * u8x16 saturating blends selected by compares and permuted by shuffles, i16x8 multiply-adds (dot, q15, extend,
 * narrow), i32x4 shifts and lane extraction. The checksum folds every lane of every result. */
#include "kernel.h"
#include <wasm_simd128.h>
#define N 4096
static float xs[N], ys[N];
static uint8_t pa[N], pb[N];
static int16_t ws[N];

static uint32_t fold(uint32_t h, v128_t v)
{
    return mix(mix(mix(mix(h, (uint32_t)wasm_i32x4_extract_lane(v, 0)), (uint32_t)wasm_i32x4_extract_lane(v, 1)),
                   (uint32_t)wasm_i32x4_extract_lane(v, 2)), (uint32_t)wasm_i32x4_extract_lane(v, 3));
}

EXPORT("run") int run(int n)
{
    if (n < 1) return 0;
    uint32_t seed = 12345;
    for (int i = 0; i < N; i++)
    {
        seed = seed * 1103515245u + 12345u;
        xs[i] = (float)((seed >> 16) & 0x3ff) / 64.0f - 8.0f;
        seed = seed * 1103515245u + 12345u;
        ys[i] = (float)((seed >> 16) & 0x3ff) / 128.0f - 4.0f;
        pa[i] = (uint8_t)(seed >> 24);
        seed = seed * 1103515245u + 12345u;
        pb[i] = (uint8_t)(seed >> 24);
        ws[i] = (int16_t)(seed >> 12);
    }

    uint32_t h = 2166136261u;
    const v128_t lo = wasm_f32x4_splat(-6.0f), hi = wasm_f32x4_splat(6.0f), step = wasm_f32x4_splat(0.0078125f);
    for (int round = 0; round < n; round++)
    {
        v128_t acc = wasm_f32x4_splat(0.0f);
        for (int i = 0; i < N; i += 4)
        {
            v128_t x = wasm_v128_load(&xs[i]), y = wasm_v128_load(&ys[i]);
            v128_t p = wasm_f32x4_min(wasm_f32x4_max(wasm_f32x4_mul(x, y), lo), hi);
            acc = wasm_f32x4_add(acc, p);
            wasm_v128_store(&xs[i], wasm_f32x4_sub(x, wasm_f32x4_mul(p, step)));
        }
        h = fold(h, wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_mul(acc, wasm_f32x4_splat(256.0f))));

        v128_t bytes = wasm_i8x16_splat(0);
        for (int i = 0; i < N; i += 16)
        {
            v128_t a = wasm_v128_load(&pa[i]), b = wasm_v128_load(&pb[i]);
            v128_t blend = wasm_v128_bitselect(wasm_u8x16_add_sat(a, b), wasm_u8x16_sub_sat(a, b), wasm_u8x16_gt(a, b));
            blend = wasm_v128_xor(blend, wasm_u8x16_avgr(a, b));
            v128_t turned = wasm_i8x16_shuffle(blend, a, 15, 0, 14, 1, 13, 2, 12, 3, 16, 31, 17, 30, 18, 29, 19, 28);
            wasm_v128_store(&pa[i], turned);
            bytes = wasm_i8x16_add(bytes, wasm_u8x16_min(turned, b));
        }
        h = fold(h, bytes);

        v128_t sums = wasm_i32x4_splat(round);
        for (int i = 0; i < N; i += 8)
        {
            v128_t w = wasm_v128_load(&ws[i]);
            v128_t dot = wasm_i32x4_dot_i16x8(w, wasm_i16x8_splat(3 + round));
            v128_t q = wasm_i16x8_q15mulr_sat(w, wasm_i16x8_splat(23170));
            v128_t wide = wasm_i32x4_add(wasm_i32x4_extend_low_i16x8(q), wasm_i32x4_extend_high_i16x8(q));
            sums = wasm_i32x4_add(sums, wasm_i32x4_shr(wasm_i32x4_add(dot, wide), 3));
            wasm_v128_store(&ws[i], wasm_i16x8_narrow_i32x4(wasm_i32x4_shl(wide, 1), dot));
        }
        h = fold(h, sums);
        h = mix(h, (uint32_t)wasm_i8x16_bitmask(bytes) + (uint32_t)wasm_i16x8_all_true(sums));
    }
    return (int)h;
}
