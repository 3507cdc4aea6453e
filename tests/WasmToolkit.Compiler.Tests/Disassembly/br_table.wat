;; A three-way switch: br_table with a default, each arm yielding a constant.
(module
  (func $switch (export "switch") (param i32) (result i32)
    (block $default
      (block $two
        (block $one
          (block $zero
            (br_table $zero $one $two $default (local.get 0)))
          (return (i32.const 100)))
        (return (i32.const 101)))
      (return (i32.const 102)))
    i32.const -1))
