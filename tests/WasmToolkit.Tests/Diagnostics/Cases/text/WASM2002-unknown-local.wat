;; the function has one parameter, so local 1 does not exist
(module
  (func (param i32) (result i32)
    local.get 1
  )
)
