;; memory.grow calls into the runtime; memory.size reads the context.
(module
  (memory 1 4)
  (func $grow (export "grow") (param i32) (result i32)
    (drop (memory.grow (local.get 0)))
    memory.size))
