;; data.drop of a module without data segments
(module
  (memory 1)
  (func
    data.drop 0
  )
)
