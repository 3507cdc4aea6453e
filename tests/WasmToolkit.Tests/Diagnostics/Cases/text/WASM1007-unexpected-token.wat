;; a parameter's identifier must come before its type
(module
  (func (param i32 $x))
)
