;; global.set of a global declared without mut
(module
  (global $g i32 (i32.const 0))
  (func
    i32.const 1
    global.set $g
  )
)
