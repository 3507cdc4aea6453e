;; the module's closing parenthesis is missing
(module
  (func (result i32)
    i32.const 42
  )
