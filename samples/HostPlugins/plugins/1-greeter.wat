;; Writes a greeting into the host's memory and asks the host to print it; returns input + 1.
(module
  (import "host" "memory" (memory 1))
  (import "host" "print" (func $print (param $ptr i32) (param $len i32)))
  (data (i32.const 0) "hello from the greeter plugin")
  (func (export "run") (param $input i32) (result i32)
    (call $print (i32.const 0) (i32.const 29))
    (i32.add (local.get $input) (i32.const 1))))
