;; elem.drop of a module without element segments
(module
  (func
    elem.drop 0
  )
)
