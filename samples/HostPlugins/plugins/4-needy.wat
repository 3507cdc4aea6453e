;; Imports a function the host does not define: instantiation fails with a link error.
(module
  (import "host" "launch_rockets" (func $launch (param i32)))
  (func (export "run") (param $input i32) (result i32)
    (call $launch (local.get $input))
    (local.get $input)))
