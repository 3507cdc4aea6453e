;; a v128 local in WebAssembly 1.0, which has no vector types
;; features: V1
(module
  (func
    (local v128)
  )
)
