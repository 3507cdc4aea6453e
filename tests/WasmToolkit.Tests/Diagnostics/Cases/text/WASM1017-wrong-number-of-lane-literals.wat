;; an i32x4 vector needs four literals, not three
(module
  (func (result v128)
    v128.const i32x4 1 2 3
  )
)
