;; a block with a parameter needs a block type index, which WebAssembly 1.0 (without multi-value) does not have
;; features: V1
(module
  (func
    i32.const 1
    block (param i32)
      drop
    end
  )
)
