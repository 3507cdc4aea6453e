;; i8x16.shuffle from both operands (two pshufb with masks built in registers) and i8x16.swizzle (indices from 16 up
;; select zero).
(module
  (func $interleave (export "interleave") (param v128 v128) (result v128)
    (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get 0) (local.get 1)))
  (func $swizzle (export "swizzle") (param v128 v128) (result v128)
    (i8x16.swizzle (local.get 0) (local.get 1))))
