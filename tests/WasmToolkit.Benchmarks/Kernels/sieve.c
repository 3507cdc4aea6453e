/* Integer loop: sieve of Eratosthenes over the first n numbers (n clamped to the buffer), then a Collatz walk
 * over the primes found. Byte loads/stores, compares, branches, i32 multiply and shifts. */
#include "kernel.h"
#define LIMIT (1 << 22)
static uint8_t composite[LIMIT];

EXPORT("run") int run(int n)
{
    if (n < 2) return 0;
    if (n > LIMIT) n = LIMIT;
    for (int i = 0; i < n; i++) composite[i] = 0;
    uint32_t h = 2166136261u;
    int count = 0;
    for (int i = 2; i < n; i++)
    {
        if (composite[i]) continue;
        count++;
        for (int j = i + i; j < n; j += i) composite[j] = 1;
        /* Collatz steps of the prime, on 32 bits (wraps deterministically if it overflows). */
        uint32_t x = (uint32_t)i, steps = 0;
        while (x != 1 && steps < 1000) { x = (x & 1) ? 3 * x + 1 : x >> 1; steps++; }
        h = mix(h, steps);
    }
    return (int)mix(h, (uint32_t)count);
}
