;; i32.add is not a constant instruction in WebAssembly 2.0
(module
  (global i32 (i32.add (i32.const 1) (i32.const 2)))
)
