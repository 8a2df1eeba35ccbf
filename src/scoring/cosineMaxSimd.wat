;; BERTScore's greedy-matching inner loop (cosineMaxKernel.ts) as WebAssembly SIMD: every cosine
;; of n candidate tokens against m reference tokens, reduced on the fly to each candidate token's
;; best (bestC) and each reference token's best (bestR), four reference tokens per instruction.
;; npm run build:wasm assembles this file into cosineMaxSimdModule.ts
;; (tests/scoring/cosineMaxSimd.test.ts checks that the two agree).
;;
;; The reference rows are stored transposed, so that one f32x4 holds four cells of a candidate row:
;; rt[k·mp + j] = r[j][k], with mp = m rounded up to a multiple of 8. A candidate value c[i][k] is
;; splatted and multiplied into two such vectors (eight reference tokens) per k; no horizontal sum
;; is needed until a candidate row's maximum. All in float32, as bert_score's torch bmm.
;;
;; Memory regions (byte offsets, 16-aligned, written by the caller):
;;   c     n·dim floats, row-major
;;   rt    dim·mp floats (pad columns 0)
;;   invC  n floats: 1/|c_i| (0 for a zero row)
;;   invR  mp floats: 1/|r_j| (0 for a zero row and for pad columns)
;;   bias  mp floats: 0 for a real column, −∞ for a pad column (a pad never wins a maximum)
;;   bestC n floats out, bestR mp floats out (pad columns come out −∞)
;;   cos(i, j) = (Σ_k c[i][k]·r[j][k]) · invC[i] · invR[j] + bias[j]
(module
  (memory (export "memory") 1)
  (func (export "cosmax")
    (param $c i32) (param $rt i32) (param $invC i32) (param $invR i32) (param $bias i32)
    (param $bestC i32) (param $bestR i32) (param $n i32) (param $mp i32) (param $dim i32)
    (local $i i32) (local $j i32) (local $k i32)
    (local $cp i32) (local $rp i32) (local $stride i32) (local $rowBytes i32)
    (local $x v128) (local $a0 v128) (local $a1 v128) (local $ic v128) (local $rowMax v128)
    (local $cos0 v128) (local $cos1 v128) (local $ninf v128)
    (local.set $ninf (f32x4.splat (f32.const -inf)))
    (local.set $stride (i32.shl (local.get $mp) (i32.const 2)))
    (local.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    ;; bestR ← −∞
    (local.set $j (i32.const 0))
    (block $initDone
      (loop $init
        (br_if $initDone (i32.ge_u (local.get $j) (local.get $stride)))
        (v128.store (i32.add (local.get $bestR) (local.get $j)) (local.get $ninf))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $init)))
    (local.set $i (i32.const 0))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $ic (v128.load32_splat (i32.add (local.get $invC) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $rowMax (local.get $ninf))
        ;; j: byte offset of the first of eight reference columns
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $col
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $stride)))
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $cp (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $rowBytes))))
            (local.set $rp (i32.add (local.get $rt) (local.get $j)))
            (local.set $k (local.get $dim))
            (block $dotDone
              (loop $dot
                (br_if $dotDone (i32.eqz (local.get $k)))
                (local.set $x (v128.load32_splat (local.get $cp)))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load (local.get $rp)))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $rp)))))
                (local.set $cp (i32.add (local.get $cp) (i32.const 4)))
                (local.set $rp (i32.add (local.get $rp) (local.get $stride)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $dot)))
            (local.set $cos0
              (f32x4.add
                (f32x4.mul (f32x4.mul (local.get $a0) (local.get $ic)) (v128.load (i32.add (local.get $invR) (local.get $j))))
                (v128.load (i32.add (local.get $bias) (local.get $j)))))
            (local.set $cos1
              (f32x4.add
                (f32x4.mul (f32x4.mul (local.get $a1) (local.get $ic)) (v128.load offset=16 (i32.add (local.get $invR) (local.get $j))))
                (v128.load offset=16 (i32.add (local.get $bias) (local.get $j)))))
            (local.set $rowMax (f32x4.max (local.get $rowMax) (f32x4.max (local.get $cos0) (local.get $cos1))))
            (v128.store (i32.add (local.get $bestR) (local.get $j))
              (f32x4.max (v128.load (i32.add (local.get $bestR) (local.get $j))) (local.get $cos0)))
            (v128.store offset=16 (i32.add (local.get $bestR) (local.get $j))
              (f32x4.max (v128.load offset=16 (i32.add (local.get $bestR) (local.get $j))) (local.get $cos1)))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $col)))
        (f32.store (i32.add (local.get $bestC) (i32.shl (local.get $i) (i32.const 2)))
          (f32.max
            (f32.max (f32x4.extract_lane 0 (local.get $rowMax)) (f32x4.extract_lane 1 (local.get $rowMax)))
            (f32.max (f32x4.extract_lane 2 (local.get $rowMax)) (f32x4.extract_lane 3 (local.get $rowMax)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row)))))
