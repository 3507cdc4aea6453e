/* Floating point (f64): escape-time iterations over an n x n grid of [-2, 1] x [-1.5, 1.5], at most 200 each. */
#include "kernel.h"

EXPORT("run") int run(int n)
{
    uint32_t h = 2166136261u;
    for (int y = 0; y < n; y++)
    {
        double ci = -1.5 + 3.0 * y / n;
        uint32_t row = 0;
        for (int x = 0; x < n; x++)
        {
            double cr = -2.0 + 3.0 * x / n;
            double zr = 0, zi = 0;
            int k = 0;
            while (k < 200 && zr * zr + zi * zi <= 4.0)
            {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                k++;
            }
            row += (uint32_t)k;
        }
        h = mix(h, row);
    }
    return (int)h;
}
