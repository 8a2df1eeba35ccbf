;; The matrix products of the lean PPO step (leanWeightsSimd.ts) as one WebAssembly SIMD kernel:
;; C = A·B for row-major float32 matrices, A [M, K], B [K, N], C [M, N], with M a multiple of 4 and
;; N a multiple of 8 (the caller pads with zeros). A 4 × 8 block of C stays in eight f32x4
;; registers while k runs: per k, one A value per row is splatted and multiplied into two vectors
;; of B's row k (no packing of B, which tfjs-wasm's XNNPACK does again for every new weight tensor).
;; Each element is one float32 sum in k order, as XNNPACK's. K ≥ 1.
;; npm run build:wasm assembles this file into gemmSimdModule.ts (tests/agent/flatAdam.test.ts
;; checks that the two agree).
(module
  (memory (export "memory") 1)
  (func (export "gemm") (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $N i32) (param $K i32)
    (local $i i32) (local $j i32) (local $k i32) (local $ap i32) (local $bp i32) (local $rowA i32) (local $rowB i32) (local $rowC i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $rowA (i32.shl (local.get $K) (i32.const 2)))
    (local.set $rowB (i32.shl (local.get $N) (i32.const 2)))
    (local.set $rowC (local.get $rowB))
    (local.set $i (i32.const 0))
    (loop $li
      (local.set $j (i32.const 0))
      (loop $lj
        (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
        (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
        (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowA))))
        (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $k (local.get $K))
        (loop $lk
          (local.set $b0 (v128.load (local.get $bp)))
          (local.set $b1 (v128.load offset=16 (local.get $bp)))
          (local.set $x (v128.load32_splat (local.get $ap)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load32_splat (i32.add (local.get $ap) (local.get $rowA))))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load32_splat (i32.add (local.get $ap) (i32.shl (local.get $rowA) (i32.const 1)))))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load32_splat (i32.add (local.get $ap) (i32.mul (local.get $rowA) (i32.const 3)))))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
          (local.set $ap (i32.add (local.get $ap) (i32.const 4)))
          (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br_if $lk (local.get $k)))
        (local.set $bp (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $rowC))) (i32.shl (local.get $j) (i32.const 2))))
        (v128.store (local.get $bp) (local.get $c00)) (v128.store offset=16 (local.get $bp) (local.get $c01))
        (local.set $bp (i32.add (local.get $bp) (local.get $rowC)))
        (v128.store (local.get $bp) (local.get $c10)) (v128.store offset=16 (local.get $bp) (local.get $c11))
        (local.set $bp (i32.add (local.get $bp) (local.get $rowC)))
        (v128.store (local.get $bp) (local.get $c20)) (v128.store offset=16 (local.get $bp) (local.get $c21))
        (local.set $bp (i32.add (local.get $bp) (local.get $rowC)))
        (v128.store (local.get $bp) (local.get $c30)) (v128.store offset=16 (local.get $bp) (local.get $c31))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br_if $lj (i32.lt_u (local.get $j) (local.get $N))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $li (i32.lt_u (local.get $i) (local.get $M)))))
  ;; e^x for four lanes: x clamped to [−87.33, 88.37], x = n·ln2 + r with n = round(x·log2 e)
  ;; (ln2 split in two for an exact n·ln2_hi), e^r by its Taylor polynomial of degree 6
  ;; (|r| ≤ ln2/2: error below 2e-7 relative), 2^n built in the exponent bits.
  (func $exp (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.max (f32x4.min (local.get $x) (f32x4.splat (f32.const 88.37))) (f32x4.splat (f32.const -87.33))))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.4426950408889634)))))
    (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693145751953125)))))
    (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 1.428606765330187e-06)))))
    (local.set $p (f32x4.splat (f32.const 0.001388888888888889)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.008333333333333333))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.041666666666666664))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.16666666666666666))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.5))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (i32.const 127))) (i32.const 23))))

  ;; After a product: C[r, j] ← act(C[r, j] + bias[j]) over `rows` rows of `np` floats (np a
  ;; multiple of 4). act 0: none; 1: tanh(u) = 2/(1 + e^(−2u)) − 1 (the tape path's fastTanh,
  ;; 2·sigmoid(2u) − 1); 2: relu, max(u, 0).
  (func (export "epilogue") (param $c i32) (param $bias i32) (param $rows i32) (param $np i32) (param $act i32)
    (local $r i32) (local $j i32) (local $p i32) (local $rowBytes i32) (local $v v128)
    (local.set $rowBytes (i32.shl (local.get $np) (i32.const 2)))
    (local.set $p (local.get $c))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $j (i32.const 0))
        (loop $col
          (local.set $v (f32x4.add (v128.load (local.get $p)) (v128.load (i32.add (local.get $bias) (local.get $j)))))
          (if (i32.eq (local.get $act) (i32.const 1))
            (then
              (local.set $v
                (f32x4.sub
                  (f32x4.div (f32x4.splat (f32.const 2))
                    (f32x4.add (f32x4.splat (f32.const 1))
                      (call $exp (f32x4.mul (local.get $v) (f32x4.splat (f32.const -2))))))
                  (f32x4.splat (f32.const 1))))))
          (if (i32.eq (local.get $act) (i32.const 2))
            (then (local.set $v (f32x4.max (local.get $v) (f32x4.splat (f32.const 0))))))
          (v128.store (local.get $p) (local.get $v))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $col (i32.lt_u (local.get $j) (local.get $rowBytes))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))
)
