;; i32.extend8_s belongs to the sign-extension proposal, which WebAssembly 1.0 does not have
;; features: V1
(module
  (func (param i32) (result i32)
    local.get 0
    i32.extend8_s
  )
)
