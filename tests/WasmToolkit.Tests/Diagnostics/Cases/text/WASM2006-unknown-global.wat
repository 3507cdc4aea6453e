;; global.get of a module without globals
(module
  (func (result i32)
    global.get 0
  )
)
