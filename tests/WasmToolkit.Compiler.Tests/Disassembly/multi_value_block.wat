;; A block with two results: the values merge in their canonical stack slots.
(module
  (func $swap_sub (export "swap_sub") (param i32 i32) (result i32)
    (block (result i32 i32)
      local.get 1
      local.get 0)
    i32.sub))
