;; Adam for the lean step (flatAdam.ts) as one WebAssembly SIMD loop over a network's flat
;; parameters: four numbers per instruction, in float32 (the precision of the tape path's tfjs Adam).
;; npm run build:wasm assembles this file into adamSimdModule.ts (tests/agent/flatAdam.test.ts
;; checks that the two agree).
;;
;; Memory holds four regions of the same byte length `bytes` (a multiple of 16, zero-padded):
;; parameters p, first moment m, second moment v, gradient g. Per element, with the gradient scale
;; folded into c1 = (1 − β1)·scale and c2 = (1 − β2)·scale²:
;;   m ← β1·m + c1·g
;;   v ← β2·v + c2·g²
;;   p ← p − stepSize·m / (√v + epsHat)
;; Padding stays 0 (m = v = 0, so p moves by 0/epsHat) as long as epsHat > 0.
(module
  (memory (export "memory") 1)
  (func (export "adam")
    (param $p i32) (param $m i32) (param $v i32) (param $g i32) (param $bytes i32)
    (param $b1 f32) (param $b2 f32) (param $c1 f32) (param $c2 f32) (param $stepSize f32) (param $epsHat f32)
    (local $i i32)
    (local $B1 v128) (local $B2 v128) (local $C1 v128) (local $C2 v128) (local $LR v128) (local $EPS v128)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $LR (f32x4.splat (local.get $stepSize)))
    (local.set $EPS (f32x4.splat (local.get $epsHat)))
    (if (i32.eqz (local.get $bytes)) (then (return)))
    (loop $next
      (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
      (local.set $mv
        (f32x4.add
          (f32x4.mul (local.get $B1) (v128.load (i32.add (local.get $m) (local.get $i))))
          (f32x4.mul (local.get $C1) (local.get $gv))))
      (local.set $vv
        (f32x4.add
          (f32x4.mul (local.get $B2) (v128.load (i32.add (local.get $v) (local.get $i))))
          (f32x4.mul (f32x4.mul (local.get $C2) (local.get $gv)) (local.get $gv))))
      (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mv))
      (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vv))
      (v128.store (i32.add (local.get $p) (local.get $i))
        (f32x4.sub
          (v128.load (i32.add (local.get $p) (local.get $i)))
          (f32x4.div
            (f32x4.mul (local.get $LR) (local.get $mv))
            (f32x4.add (f32x4.sqrt (local.get $vv)) (local.get $EPS)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $bytes))))))
