/* Memory-heavy, branchy: fill a buffer of n i32 (n clamped to 1M) from an LCG, sort it with a recursive quicksort
 * (median of three, insertion sort below 16), then check it is sorted and hash it. */
#include "kernel.h"
#define MAX (1 << 20)
static int32_t data[MAX];

static void insertion(int32_t *v, int lo, int hi)
{
    for (int i = lo + 1; i <= hi; i++)
    {
        int32_t x = v[i];
        int j = i - 1;
        while (j >= lo && v[j] > x) { v[j + 1] = v[j]; j--; }
        v[j + 1] = x;
    }
}

static NOINLINE void quicksort(int32_t *v, int lo, int hi)
{
    while (hi - lo >= 16)
    {
        int mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo]) { int32_t t = v[mid]; v[mid] = v[lo]; v[lo] = t; }
        if (v[hi] < v[lo]) { int32_t t = v[hi]; v[hi] = v[lo]; v[lo] = t; }
        if (v[hi] < v[mid]) { int32_t t = v[hi]; v[hi] = v[mid]; v[mid] = t; }
        int32_t pivot = v[mid];
        int i = lo, j = hi;
        while (i <= j)
        {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) { int32_t t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
        }
        /* Recurse into the smaller half, loop on the larger: stack depth stays O(log n). */
        if (j - lo < hi - i) { quicksort(v, lo, j); lo = i; }
        else { quicksort(v, i, hi); hi = j; }
    }
    insertion(v, lo, hi);
}

EXPORT("run") int run(int n)
{
    if (n < 1) return 0;
    if (n > MAX) n = MAX;
    uint32_t seed = 42;
    for (int i = 0; i < n; i++) { seed = seed * 1664525u + 1013904223u; data[i] = (int32_t)seed >> 4; }
    quicksort(data, 0, n - 1);
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++)
    {
        if (i > 0 && data[i - 1] > data[i]) return -1; /* not sorted: a miscompilation */
        h = mix(h, (uint32_t)data[i]);
    }
    return (int)h;
}
