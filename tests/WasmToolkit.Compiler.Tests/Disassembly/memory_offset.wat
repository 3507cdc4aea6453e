;; Loads and stores with a static offset: the bounds check covers offset + width.
(module
  (memory 1)
  (func $copy (export "copy") (param $from i32) (param $to i32)
    (i64.store offset=16 (local.get $to) (i64.load offset=8 (local.get $from))))
  (func $byte (export "byte") (param i32) (result i32)
    (i32.load8_s offset=3 (local.get 0))))
