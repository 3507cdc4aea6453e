;; A loop incrementing every i32 of an array: the store goes through the local the load just checked, so it has
;; no bounds check of its own; the loop's pointer and count stay in registers at its header.
(module
  (memory 1)
  (func $increment (export "increment") (param $p i32) (param $n i32)
    (loop $l
      (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
