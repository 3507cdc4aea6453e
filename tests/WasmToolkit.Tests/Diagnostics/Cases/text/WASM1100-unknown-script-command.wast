;; a module field at the top level of a script, outside (module ...)
(module (func $f))
(func $g)
