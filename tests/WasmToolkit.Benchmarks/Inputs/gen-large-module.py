#!/usr/bin/env python3
"""Writes a large C program whose wasm32 build is the decode/validate benchmark input.

Usage: gen-large-module.py FUNCTIONS SEED OUTDIR PARTS [INDIRECT]

INDIRECT (default 0.35) is the share of generated calls that go through a function-pointer table; 0 gives a
module whose generated functions use direct calls only (call_indirect is left in main and libc), the
compile-throughput input while the x64 compiler lacks call_indirect (make-large-module.sh, INDIRECT=0).

Writes OUTDIR/large.h, OUTDIR/large_NN.c (PARTS files, so the build can run in parallel) and
OUTDIR/large_main.c (globals, function-pointer tables, main).

Every function is distinct: a random mix (fixed seed, so the output is reproducible) of loops,
integer and floating-point arithmetic, loads and stores to global arrays and structs, switch
statements (which clang lowers to br_table), if/else chains, direct calls to earlier functions,
indirect calls through function-pointer tables (call_indirect) and libc calls (strlen, memcpy,
memcmp, memset). Functions are noinline and reached from main through the pointer tables, so
`clang -O2` keeps one wasm function per C function while still optimising each body (unrolling,
strength reduction, jump tables), which is what real compiler output looks like.
"""
import os
import random
import sys

# Signatures: (C return type, C parameter list, initialisation of the common locals from the parameters,
# return expression). Every body works on the same set of locals so statements are shared.
SIGS = [
    ("int32_t", "int32_t x, int32_t y",
     "int32_t a = x, b = y; uint32_t u = (uint32_t)(x ^ y); int64_t l = (int64_t)x * y; double d = (double)x; float f = (float)y;",
     "a ^ b ^ (int32_t)u ^ (int32_t)l ^ (int32_t)d"),
    ("int64_t", "int64_t x, int32_t n",
     "int32_t a = (int32_t)x, b = n; uint32_t u = (uint32_t)(x >> 7); int64_t l = x; double d = (double)n; float f = (float)x;",
     "l + a - b + (int64_t)u + (int64_t)f"),
    ("double", "double x, int32_t n",
     "int32_t a = n, b = (int32_t)(n * 3); uint32_t u = (uint32_t)n * 2654435761u; int64_t l = n; double d = x; float f = (float)x;",
     "d + (double)a - (double)l + f"),
    ("uint32_t", "const uint8_t *p, uint32_t len",
     "int32_t a = (int32_t)len, b = p[0]; uint32_t u = len; int64_t l = (int64_t)len << 3; double d = (double)len; float f = 1.0f;",
     "u ^ (uint32_t)a ^ (uint32_t)b ^ (uint32_t)l"),
    ("void", "struct rec *r, int32_t n",
     "int32_t a = n, b = r->id; uint32_t u = (uint32_t)r->a; int64_t l = r->t; double d = r->w; float f = (float)n;",
     None),
    ("float", "float x, float y, int32_t n",
     "int32_t a = n, b = (int32_t)y; uint32_t u = (uint32_t)n; int64_t l = n; double d = x; float f = y;",
     "f + x * (float)a - (float)d"),
]
VOID_SIG = 4
PTR_SIG = 3

INT_VARS = ["a", "b"]


class Gen:
    def __init__(self, rng, indirect=0.35):
        self.rng = rng
        self.indirect = indirect
        self.by_sig = {i: [] for i in range(len(SIGS))}
        self.loop_depth = 0

    def c(self, lo=1, hi=1000):
        return str(self.rng.randint(lo, hi))

    def big(self):
        return hex(self.rng.getrandbits(32) | 1) + "u"

    # ---- expressions -------------------------------------------------------------------------
    def iexpr(self, depth=0):
        r = self.rng
        leaf = depth >= 3 or r.random() < 0.3
        if leaf:
            choice = r.randrange(7)
            if choice == 0:
                return r.choice(INT_VARS)
            if choice == 1:
                return "(int32_t)u"
            if choice == 2:
                return self.c(-500, 5000)
            if choice == 3:
                return "g_i32[(uint32_t)(%s) & 4095]" % r.choice(["a", "b", "u", "a + b"])
            if choice == 4:
                return "(int32_t)g_buf[(u + %s) & 65535]" % self.c(0, 65535)
            if choice == 5 and self.loop_depth:
                return "i%d" % (self.loop_depth - 1)
            return "(int32_t)(l >> %s)" % self.c(1, 40)
        op = r.randrange(14)
        x, y = self.iexpr(depth + 1), self.iexpr(depth + 1)
        if op <= 4:
            return "(%s %s %s)" % (x, r.choice(["+", "-", "*", "^", "&", "|"]), y)
        if op == 5:
            return "(%s << (%s & 31))" % (x, y)
        if op == 6:
            return "(int32_t)((uint32_t)%s >> %s)" % (x, self.c(1, 31))
        if op == 7:
            return "(%s / ((%s) | 1))" % (x, y)
        if op == 8:
            return "(%s %% ((%s & 1023) + 1))" % (x, y)
        if op == 9:
            return "(%s %s %s ? %s : %s)" % (x, r.choice(["<", ">", "==", "!=", "<=", ">="]), y,
                                          self.iexpr(depth + 2), self.iexpr(depth + 2))
        if op == 10:
            return "__builtin_popcount((uint32_t)%s)" % x
        if op == 11:
            return "__builtin_clz((uint32_t)%s | 1u)" % x
        if op == 12:
            return "(int32_t)rotl32((uint32_t)%s, %s)" % (x, self.c(1, 31))
        return "(int32_t)(int16_t)%s" % x

    def lexpr(self, depth=0):
        r = self.rng
        if depth >= 2 or r.random() < 0.3:
            return r.choice(["l", "(int64_t)a", "(int64_t)u", "g_recs[(uint32_t)b & 1023].t", self.c(1, 1 << 20) + "LL"])
        x, y = self.lexpr(depth + 1), self.lexpr(depth + 1)
        op = r.randrange(6)
        if op <= 2:
            return "(%s %s %s)" % (x, r.choice(["+", "-", "*", "^", "|"]), y)
        if op == 3:
            return "(%s * %sLL + %s)" % (x, self.c(3, 1 << 30), y)
        if op == 4:
            return "(int64_t)((uint64_t)%s >> %s)" % (x, self.c(1, 63))
        return "(%s / ((%s) | 1))" % (x, y)

    def dexpr(self, depth=0):
        r = self.rng
        if depth >= 2 or r.random() < 0.3:
            return r.choice(["d", "(double)a", "(double)f", "g_f64[(uint32_t)a & 2047]", "g_recs[u & 1023].w",
                             "%d.%d" % (r.randint(0, 99), r.randint(1, 999))])
        x, y = self.dexpr(depth + 1), self.dexpr(depth + 1)
        op = r.randrange(6)
        if op <= 2:
            return "(%s %s %s)" % (x, r.choice(["+", "-", "*", "/"]), y)
        if op == 3:
            return "__builtin_sqrt(__builtin_fabs(%s))" % x
        if op == 4:
            return "__builtin_floor(%s)" % x
        return "(%s < %s ? %s : %s)" % (x, y, x, y)

    # ---- statements --------------------------------------------------------------------------
    def calls(self, index):
        """A direct or indirect call to an earlier function, or None."""
        r = self.rng
        sig = r.randrange(len(SIGS))
        earlier = self.by_sig[sig]
        if r.random() < self.indirect:
            callee = "g_tab%d[(uint32_t)(%s) %% TAB%d_LEN]" % (sig, self.iexpr(2), sig)
        elif earlier:
            callee = r.choice(earlier[-200:])
        else:
            return None
        if sig == 0:
            return "a += %s(%s, %s);" % (callee, self.iexpr(2), self.iexpr(2))
        if sig == 1:
            return "l ^= %s(%s, %s);" % (callee, self.lexpr(1), self.iexpr(2))
        if sig == 2:
            return "d += %s(%s, %s);" % (callee, self.dexpr(1), self.iexpr(2))
        if sig == 3:
            return "u += %s(g_buf + ((uint32_t)%s & 32767), (uint32_t)%s & 4095);" % (callee, self.iexpr(2), self.iexpr(2))
        if sig == 4:
            return "%s(&g_recs[(uint32_t)%s & 1023], %s);" % (callee, self.iexpr(2), self.iexpr(2))
        return "f = %s(f, (float)%s, %s);" % (callee, self.dexpr(1), self.iexpr(2))

    def stmt(self, index, depth, ind):
        r = self.rng
        pad = "    " * ind
        # Compound statements only near the top, so a body stays a few hundred bytes of wasm (a typical
        # function size in real modules) rather than exploding combinatorially.
        k = r.randrange(20 if depth == 0 else 14 if depth == 1 else 11)
        if k == 0:
            return pad + "%s = %s;\n" % (r.choice(INT_VARS), self.iexpr())
        if k == 1:
            return pad + "u = u * %s + (uint32_t)%s;\n" % (self.big(), self.iexpr(1))
        if k == 2:
            return pad + "l = %s;\n" % self.lexpr()
        if k == 3:
            return pad + "d = %s;\n" % self.dexpr()
        if k == 4:
            return pad + "g_i32[(uint32_t)(%s) & 4095] = %s;\n" % (self.iexpr(2), self.iexpr(1))
        if k == 5:
            return pad + "g_buf[(u ^ (uint32_t)%s) & 65535] = (uint8_t)%s;\n" % (self.iexpr(2), self.iexpr(1))
        if k == 6:
            field = r.choice(["w += %s" % self.dexpr(1), "t ^= %s" % self.lexpr(1), "a = (int16_t)%s" % self.iexpr(1),
                              "b |= (uint8_t)%s" % self.iexpr(2), "id = %s" % self.iexpr(1)])
            return pad + "g_recs[(uint32_t)(%s) & 1023].%s;\n" % (self.iexpr(2), field)
        if k == 7:
            call = self.calls(index)
            return pad + (call or "b ^= a >> 3;") + "\n"
        if k == 8:
            return pad + "f = f * %s.5f + (float)%s;\n" % (self.c(0, 9), self.iexpr(2))
        if k == 9:
            lib = r.randrange(4)
            if lib == 0:
                return pad + "a += (int32_t)strlen((const char *)g_buf + ((uint32_t)%s & 32767));\n" % self.iexpr(2)
            if lib == 1:
                return pad + "memcpy(g_buf + ((uint32_t)%s & 16383), g_buf + ((uint32_t)%s & 16383) + 32768, ((uint32_t)%s & 255));\n" % (
                    self.iexpr(2), self.iexpr(2), self.iexpr(2))
            if lib == 2:
                return pad + "b += memcmp(g_buf + (u & 16383), g_buf + ((uint32_t)%s & 16383), %s);\n" % (self.iexpr(2), self.c(2, 64))
            return pad + "memset(g_buf + ((uint32_t)%s & 32767), %s, %s);\n" % (self.iexpr(2), self.c(0, 255), self.c(1, 200))
        if k == 10:
            return pad + "if (%s %s %s) { %s = %s; } else { %s ^= %s; }\n" % (
                self.iexpr(1), r.choice(["<", ">", "==", "!="]), self.iexpr(1), r.choice(INT_VARS), self.iexpr(1),
                r.choice(INT_VARS), self.iexpr(1))
        if k <= 13:
            # Counted loop over a global array.
            var = "i%d" % self.loop_depth
            bound = r.choice(["(uint32_t)a & 63", "((uint32_t)b & 31) + %s" % self.c(1, 16), self.c(4, 64), "u & 127"])
            self.loop_depth += 1
            body = "".join(self.stmt(index, depth + 1, ind + 1) for _ in range(r.randint(1, 3)))
            self.loop_depth -= 1
            return pad + "for (uint32_t %s = 0; %s < (uint32_t)(%s); %s++) {\n%s%s}\n" % (var, var, bound, var, body, pad)
        if k == 14:
            # Data-dependent loop (hash / bit walking).
            body = "".join(self.stmt(index, depth + 2, ind + 1) for _ in range(r.randint(1, 2)))
            return pad + "while (u > %su) {\n%s    u = (u >> %s) ^ (u * %s);\n%s    if (++b > %s) break;\n%s%s}\n" % (
                self.c(16, 4096), pad, self.c(1, 5), self.big(), pad, self.c(8, 200), body, pad)
        if k <= 16:
            # Dense switch: clang emits br_table.
            n = r.randint(4, 16)
            cases = []
            for ci in range(n):
                cases.append(pad + "case %d:\n%s%s    break;\n" % (ci, self.stmt(index, depth + 2, ind + 1), pad))
            return pad + "switch ((uint32_t)(%s) %% %du) {\n%s%sdefault:\n%s    a ^= %s;\n%s}\n" % (
                self.iexpr(2), n + 1, "".join(cases), pad, pad, self.iexpr(2), pad)
        if k == 17:
            # Sparse switch: compare chains.
            labels = sorted(set(r.randint(-100000, 100000) for _ in range(r.randint(3, 8))))
            cases = "".join(pad + "case %d: %s = %s; break;\n" % (v, r.choice(INT_VARS), self.iexpr(1)) for v in labels)
            return pad + "switch (%s) {\n%s%sdefault: u += %s; break;\n%s}\n" % (self.iexpr(2), cases, pad, self.c(1, 99), pad)
        if k == 18:
            # Pointer walk over the records.
            return (pad + "for (struct rec *q = g_recs + (u & 511); q < g_recs + (u & 511) + %s; q++) {\n" % self.c(2, 32) +
                    pad + "    q->w = q->w * %s.25 + (double)q->a;\n" % self.c(0, 7) +
                    pad + "    a += q->id ^ (int32_t)q->b;\n" + pad + "}\n")
        # Nested if/else chain.
        return pad + "if (%s) {\n%s%s} else if (%s) {\n%s%s} else {\n%s%s}\n" % (
            self.iexpr(1), self.stmt(index, depth + 1, ind + 1), pad, self.iexpr(1),
            self.stmt(index, depth + 1, ind + 1), pad, self.stmt(index, depth + 1, ind + 1), pad)

    def function(self, index):
        r = self.rng
        sig = r.randrange(len(SIGS))
        ret, params, init, result = SIGS[sig]
        name = "f%05d" % index
        body = "".join(self.stmt(index, 0, 1) for _ in range(r.randint(2, 7)))
        text = "__attribute__((noinline)) %s %s(%s) {\n    %s\n%s" % (ret, name, params, init, body)
        if sig == VOID_SIG:
            text += "    r->id = a ^ b; r->a = (int16_t)u; r->t = l; r->w = d + f;\n"
        else:
            text += "    return (%s)(%s);\n" % (ret, result)
        text += "}\n\n"
        self.by_sig[sig].append(name)
        return sig, name, text


def main():
    count = int(sys.argv[1])
    seed = int(sys.argv[2])
    outdir = sys.argv[3]
    parts = int(sys.argv[4])
    indirect = float(sys.argv[5]) if len(sys.argv) > 5 else 0.35
    gen = Gen(random.Random(seed), indirect)
    # The default keeps the banner (and so large.wasm) exactly as before the INDIRECT argument existed.
    extra = "" if len(sys.argv) <= 5 else " " + sys.argv[5]
    banner = "/* Generated by gen-large-module.py %d %d%s; do not edit. */\n" % (count, seed, extra)

    functions = [gen.function(i) for i in range(count)]
    counts = [len(gen.by_sig[s]) for s in range(len(SIGS))]

    with open(os.path.join(outdir, "large.h"), "w") as h:
        h.write(banner)
        h.write("#include <stdint.h>\n#include <stdio.h>\n#include <string.h>\n\n")
        h.write("struct rec { int32_t id; int16_t a; uint8_t b; double w; int64_t t; };\n")
        h.write("extern uint8_t g_buf[65536];\nextern int32_t g_i32[4096];\nextern double g_f64[2048];\n"
                "extern struct rec g_recs[1024];\n")
        h.write("static inline uint32_t rotl32(uint32_t v, int s) { return (v << s) | (v >> (32 - s)); }\n\n")
        for s, (ret, params, _, _) in enumerate(SIGS):
            h.write("typedef %s (*sig%d_t)(%s);\n" % (ret, s, params))
            h.write("#define TAB%d_LEN %du\nextern sig%d_t g_tab%d[TAB%d_LEN];\n" % (s, max(counts[s], 1), s, s, s))
        h.write("\n")
        for sig, name, _ in functions:
            ret, params, _, _ = SIGS[sig]
            h.write("%s %s(%s);\n" % (ret, name, params))

    per_part = (count + parts - 1) // parts
    for part in range(parts):
        with open(os.path.join(outdir, "large_%02d.c" % part), "w") as c:
            c.write(banner)
            c.write('#include "large.h"\n\n')
            for _, _, text in functions[part * per_part:(part + 1) * per_part]:
                c.write(text)

    with open(os.path.join(outdir, "large_main.c"), "w") as c:
        c.write(banner)
        c.write('#include "large.h"\n\n')
        c.write("uint8_t g_buf[65536];\nint32_t g_i32[4096];\ndouble g_f64[2048];\nstruct rec g_recs[1024];\n\n")
        for s in range(len(SIGS)):
            names = gen.by_sig[s]
            c.write("sig%d_t g_tab%d[TAB%d_LEN] = {\n%s\n};\n" % (s, s, s, ",\n".join("    " + n for n in names)))
        c.write("""
int main(int argc, char **argv) {
    (void)argv;
    int32_t acc = argc;
    memset(g_buf, argc, sizeof g_buf);
    for (uint32_t i = 0; i < TAB0_LEN; i++) acc += g_tab0[i](acc, (int32_t)i);
    for (uint32_t i = 0; i < TAB1_LEN; i++) acc += (int32_t)g_tab1[i](acc, (int32_t)i);
    for (uint32_t i = 0; i < TAB2_LEN; i++) acc += (int32_t)g_tab2[i]((double)acc, (int32_t)i);
    for (uint32_t i = 0; i < TAB3_LEN; i++) acc += (int32_t)g_tab3[i](g_buf + (i & 1023), i & 511);
    for (uint32_t i = 0; i < TAB4_LEN; i++) g_tab4[i](&g_recs[i & 1023], acc);
    for (uint32_t i = 0; i < TAB5_LEN; i++) acc += (int32_t)g_tab5[i]((float)acc, 1.5f, (int32_t)i);
    printf("%d\\n", acc);
    return 0;
}
""")


if __name__ == "__main__":
    main()
