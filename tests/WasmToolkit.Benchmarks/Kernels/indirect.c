/* Indirect calls: n steps of a small interpreter whose opcodes are handlers called through a function-pointer
 * table (call_indirect with a signature check). The opcode stream is generated at run time so clang cannot
 * devirtualise the calls. */
#include "kernel.h"
typedef uint32_t (*op_fn)(uint32_t acc, uint32_t arg);

static NOINLINE uint32_t op_add(uint32_t acc, uint32_t arg) { return acc + arg; }
static NOINLINE uint32_t op_xor(uint32_t acc, uint32_t arg) { return acc ^ (arg * 2654435761u); }
static NOINLINE uint32_t op_rot(uint32_t acc, uint32_t arg) { return (acc << (arg & 31)) | (acc >> ((32 - arg) & 31)); }
static NOINLINE uint32_t op_mul(uint32_t acc, uint32_t arg) { return acc * (arg | 1); }
static NOINLINE uint32_t op_sub(uint32_t acc, uint32_t arg) { return acc - (arg >> 3); }
static NOINLINE uint32_t op_mix(uint32_t acc, uint32_t arg) { return mix(acc, arg); }
static NOINLINE uint32_t op_not(uint32_t acc, uint32_t arg) { return ~acc + (arg & 7); }
static NOINLINE uint32_t op_shr(uint32_t acc, uint32_t arg) { return acc ^ (acc >> ((arg & 15) + 1)); }

static op_fn table[8] = { op_add, op_xor, op_rot, op_mul, op_sub, op_mix, op_not, op_shr };
#define PROGRAM 4096
static uint8_t program[PROGRAM];

EXPORT("run") int run(int n)
{
    uint32_t seed = 7;
    for (int i = 0; i < PROGRAM; i++) { seed = seed * 1664525u + 1013904223u; program[i] = (uint8_t)(seed >> 24); }
    uint32_t acc = 2166136261u;
    for (int i = 0; i < n; i++)
    {
        uint8_t op = program[i & (PROGRAM - 1)];
        acc = table[op & 7](acc, (uint32_t)i + op);
    }
    return (int)acc;
}
