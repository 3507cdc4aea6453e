;; $t takes an i32, the inline declaration says i64
(module
  (type $t (func (param i32)))
  (func (type $t) (param i64))
)
