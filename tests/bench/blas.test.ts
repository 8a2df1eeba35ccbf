// The pure parts of the PyTorch peer's BLAS check (scripts/bench/blas.ts) and of the GEMM-ceiling
// row (scripts/bench/ppoGemm.ts). The maps texts are the shapes this machine's peer reported with
// Debian's OpenBLAS alternative, and with LD_LIBRARY_PATH at the reference libblas.so.3 (where
// libopenblas is mapped too, through liblapack: the library holding sgemm_ must decide).
import { describe, expect, it } from 'vitest';
import { classifyPeerBlas, judgedAgainstPeer, libraryAt, parseMaps, peerText, type BlasProbe } from '../../scripts/bench/blas';
import { atMost, result } from '../../scripts/bench/harness';
import { productFlops, stepProducts } from '../../scripts/bench/ppoGemm';
import { gradientStepFlops } from '../../scripts/bench/ppoWorkloads';

const OPENBLAS = '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so';
const LAPACK = '/usr/lib/x86_64-linux-gnu/openblas-pthread/liblapack.so.3';
const ALT_BLAS = '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3';
const REF_BLAS = '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0';

const line = (start: string, end: string, path: string) => `${start}-${end} r-xp 00023000 fe:00 5595981                    ${path}`;
const mapsWith = (blasPath: string) =>
  [line('7f1bc7848000', '7f1bc9829000', OPENBLAS), line('7f1bcd823000', '7f1bcde4b000', LAPACK), line('7f1bd7f92000', '7f1bd7fc8000', blasPath)].join('\n');

const probe = (p: Partial<BlasProbe>): BlasProbe => ({ maps: '', sgemm: null, blasInfo: 'generic', ...p });
const row = () => result({ name: 'PPO update: x', peer: '', goal: atMost(2, '≤ 2'), measured: 'm', value: 0.46 });

describe('which BLAS the PyTorch peer called', () => {
  it('parses file-backed lines of /proc/self/maps and finds the mapping that holds an address', () => {
    const maps = parseMaps(`${mapsWith(ALT_BLAS)}\n7ffd1000-7ffd2000 rw-p 00000000 00:00 0                          [stack]\ngarbage`);
    expect(maps.map((m) => m.path)).toEqual([OPENBLAS, LAPACK, ALT_BLAS]);
    expect(libraryAt(maps, '0x7f1bd7f9a140')).toBe(ALT_BLAS);
    expect(libraryAt(maps, '7f1bcd823000')).toBe(LAPACK); // start is inside, end is not
    expect(libraryAt(maps, '0x7f1bcde4b000')).toBeNull();
    expect(libraryAt(maps, null)).toBeNull();
    expect(libraryAt(maps, 'not hex')).toBeNull();
  });

  it("Debian's OpenBLAS alternative is OpenBLAS, judged", () => {
    const blas = classifyPeerBlas(probe({ maps: mapsWith(ALT_BLAS), sgemm: '0x7f1bd7f9a140' }));
    expect(blas).toMatchObject({ kind: 'openblas', optimised: true, library: ALT_BLAS });
    const judged = judgedAgainstPeer(row(), blas);
    expect(judged).toMatchObject({ peer: 'PyTorch CPU 1 thread, OpenBLAS', met: true, ratio: 0.46 });
    expect(judged.note).toBeUndefined();
  });

  it('the reference BLAS holding sgemm_ wins over a libopenblas mapped beside it, and the row is not judged', () => {
    const blas = classifyPeerBlas(probe({ maps: mapsWith(REF_BLAS), sgemm: '0x7f1bd7fa0620' }));
    expect(blas).toMatchObject({ kind: 'reference', optimised: false, library: REF_BLAS });
    const judged = judgedAgainstPeer(row(), blas);
    expect(judged.peer).toBe('PyTorch CPU 1 thread, reference BLAS (netlib)');
    expect(judged.met).toBeNull();
    expect(judged.ratio).toBe(0.46); // the figure stays, only the verdict goes
    expect(judged.note).toMatch(/reference BLAS .*install libopenblas0-pthread/);
  });

  it('a reference BLAS from BENCH_REFERENCE_BLAS_DIR (a dpkg -x of libblas3) is the reference BLAS', () => {
    const path = '/tmp/refblas/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0';
    expect(classifyPeerBlas(probe({ maps: line('7f0000000000', '7f0000100000', path), sgemm: '0x7f0000000100' })).kind).toBe('reference');
  });

  it('without sgemm_: BLAS_INFO names a BLAS linked into torch; else the one BLAS mapped; else unknown and not judged', () => {
    expect(classifyPeerBlas(probe({ blasInfo: 'mkl' }))).toMatchObject({ kind: 'mkl', optimised: true });
    // sgemm_ inside libtorch_cpu itself (a static BLAS): the path does not tell, BLAS_INFO does.
    const torchLib = line('7e0000000000', '7e0001000000', '/site-packages/torch/lib/libtorch_cpu.so');
    expect(classifyPeerBlas(probe({ maps: torchLib, sgemm: '0x7e0000000040', blasInfo: 'open' })).kind).toBe('openblas');
    expect(classifyPeerBlas(probe({ maps: line('7f0000000000', '7f0000100000', REF_BLAS) })).kind).toBe('reference');
    const unknown = classifyPeerBlas(probe({ maps: mapsWith(REF_BLAS) }));
    expect(unknown).toMatchObject({ kind: 'unknown', optimised: null });
    const judged = judgedAgainstPeer(row(), unknown);
    expect(judged.met).toBeNull();
    expect(judged.note).toMatch(/could not tell which BLAS/);
    expect(judgedAgainstPeer(row(), null).met).toBeNull();
    expect(peerText(null)).toBe('PyTorch CPU 1 thread, BLAS not reported');
  });
});

describe('the products of one lean gradient step', () => {
  it('are the forward, weight-gradient (pre-transposed left operand) and input-gradient products, with the step FLOPs', () => {
    const products = stepProducts(384, [256, 256], 11, 256);
    expect(products).toHaveLength(16); // per network: 3 forward, 3 weight grad, 2 input grad
    expect(products.find((p) => p.name === 'actor L0 weight grad')).toMatchObject({ m: 384, k: 256, n: 256 });
    expect(products.find((p) => p.name === 'actor L2 input grad')).toMatchObject({ m: 256, k: 11, n: 256 });
    expect(products.find((p) => p.name === 'critic L2 forward')).toMatchObject({ m: 256, k: 256, n: 1 });
    expect(products.some((p) => p.name.includes('L0 input grad'))).toBe(false);
    const flops = products.reduce((s, p) => s + productFlops(p), 0);
    expect(flops).toBe(gradientStepFlops(384, [256, 256], 11, 256));
  });
});
