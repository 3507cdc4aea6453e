/* Memory-heavy: n x n double matrix multiply (n clamped to 256) with i-k-j loop order, matrices in linear memory. */
#include "kernel.h"
#define MAX 256
static double a[MAX * MAX], b[MAX * MAX], c[MAX * MAX];

EXPORT("run") int run(int n)
{
    if (n < 1) return 0;
    if (n > MAX) n = MAX;
    uint32_t seed = 12345;
    for (int i = 0; i < n * n; i++)
    {
        seed = seed * 1103515245u + 12345u;
        a[i] = (double)((seed >> 16) & 0xff) / 16.0;
        seed = seed * 1103515245u + 12345u;
        b[i] = (double)((seed >> 16) & 0xff) / 16.0 - 8.0;
        c[i] = 0;
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++)
        {
            double aik = a[i * n + k];
            for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
        }
    uint32_t h = 2166136261u;
    for (int i = 0; i < n * n; i++) h = mix(h, (uint32_t)(int64_t)c[i]); /* values are multiples of 1/256: exact */
    return (int)h;
}
