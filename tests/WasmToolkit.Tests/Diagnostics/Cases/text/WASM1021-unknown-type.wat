;; type 3 does not exist, so the inline declaration cannot be checked against it
(module
  (type (func))
  (func (type 3) (param i32))
)
