/* Calls: naive doubly recursive Fibonacci (about 1.6^n calls), i64 results wrapped to a 32-bit checksum. */
#include "kernel.h"

static NOINLINE int64_t fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

EXPORT("run") int run(int n)
{
    int64_t f = fib(n);
    return (int)mix(mix(2166136261u, (uint32_t)f), (uint32_t)(f >> 32));
}
