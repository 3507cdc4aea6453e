;; ref.func of a function that no element segment, export or global mentions
(module
  (func $f)
  (func (result funcref)
    ref.func $f
  )
)
