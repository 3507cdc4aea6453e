/* Shared by the benchmark kernels: freestanding wasm32 (no libc, no imports), one exported entry point.
 * Each kernel exports `int run(int n)` returning a checksum that depends on every step of the work, so the
 * same n must give the same value on every engine. */
#ifndef KERNEL_H
#define KERNEL_H
#include <stdint.h>
#define EXPORT(name) __attribute__((export_name(name)))
#define NOINLINE __attribute__((noinline))

/* FNV-1a step: folds a 32-bit value into a running checksum. */
static inline uint32_t mix(uint32_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++) { h ^= (v >> (8 * i)) & 0xffu; h *= 16777619u; }
    return h;
}
#endif
