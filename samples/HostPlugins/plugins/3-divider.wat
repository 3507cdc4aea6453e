;; Divides 100 by its input: run(0) traps (integer divide by zero), which the host catches.
(module
  (func (export "run") (param $input i32) (result i32)
    (i32.div_s (i32.const 100) (local.get $input))))
