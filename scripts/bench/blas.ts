// Which BLAS the PyTorch peer really ran on, and what that means for a row's goal. The peer
// (ppo_update_torch.py, "blas" command) reports the lines of its /proc/self/maps that name a BLAS
// or LAPACK library, the address that `sgemm_` resolves to from libtorch_cpu, and torch's
// BLAS_INFO build setting. Both libraries can be mapped at once: with LD_LIBRARY_PATH pointing at
// the reference libblas.so.3, Debian's liblapack.so.3 still pulls in libopenblas, so the library
// that holds sgemm_ decides, not the list. A row is judged only against an optimised BLAS: before
// libopenblas0-pthread was installed, Debian's torch ran on the reference BLAS and a ratio against
// it was reported as met (bench/README.md).

/** What the peer's "blas" command answers. */
export interface BlasProbe {
  /** Lines of /proc/self/maps (after one matmul) that name a BLAS/LAPACK library. */
  maps: string;
  /** Address of `sgemm_` as the peer's torch library resolves it, hex ("0x7f…"); null when not found. */
  sgemm: string | null;
  /** torch.__config__.show()'s BLAS_INFO (e.g. "generic", "mkl", "open"); null when absent. */
  blasInfo: string | null;
}

export type BlasKind = 'openblas' | 'mkl' | 'blis' | 'atlas' | 'reference' | 'unknown';

export interface PeerBlas {
  kind: BlasKind;
  /** For the row's peer text, e.g. "OpenBLAS", "reference BLAS (netlib)". */
  label: string;
  /** true for a tuned BLAS; false for the reference BLAS; null when it could not be told. */
  optimised: boolean | null;
  /** The library file that holds sgemm_, when known. */
  library: string | null;
  /** How the kind was decided, for details. */
  evidence: string;
}

export interface Mapping {
  start: bigint;
  end: bigint;
  path: string;
}

const LABELS: Record<BlasKind, string> = {
  openblas: 'OpenBLAS',
  mkl: 'MKL',
  blis: 'BLIS',
  atlas: 'ATLAS',
  reference: 'reference BLAS (netlib)',
  unknown: 'unknown BLAS',
};

/** File-backed mappings of a /proc/<pid>/maps text ("start-end perms offset dev inode path"); other lines are skipped. */
export function parseMaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+)\s+\S+\s+\S+\s+\S+\s+\S+\s+(\/.*?)\s*$/i.exec(line.trim());
    if (m) out.push({ start: BigInt(`0x${m[1]}`), end: BigInt(`0x${m[2]}`), path: m[3] });
  }
  return out;
}

/** The mapped file that contains `address` (hex), or null. */
export function libraryAt(mappings: readonly Mapping[], address: string | null): string | null {
  if (!address || !/^(0x)?[0-9a-f]+$/i.test(address)) return null;
  const a = BigInt(address.startsWith('0x') || address.startsWith('0X') ? address : `0x${address}`);
  return mappings.find((m) => m.start <= a && a < m.end)?.path ?? null;
}

/** The kind of BLAS a library file is, by its path; null when the path does not tell (e.g. BLAS linked into libtorch). */
export function blasKindOfPath(path: string): BlasKind | null {
  const p = path.toLowerCase();
  if (/libmkl|\/mkl\//.test(p)) return 'mkl';
  if (/openblas/.test(p)) return 'openblas';
  if (/blis/.test(p)) return 'blis';
  if (/atlas/.test(p)) return 'atlas';
  // Debian's libblas3 (…/blas/libblas.so.3.x), a `dpkg -x` of it, or any other plain libblas.so:
  // the reference implementation (tuned BLASes install under their own names or folders).
  if (/(^|\/)libblas\.so/.test(p) || /(^|\/)librefblas/.test(p)) return 'reference';
  return null;
}

function kindOfBlasInfo(info: string | null): BlasKind | null {
  const i = (info ?? '').toLowerCase();
  if (i.startsWith('mkl')) return 'mkl';
  if (i.startsWith('open')) return 'openblas';
  if (i.startsWith('blis')) return 'blis';
  if (i.startsWith('atlas')) return 'atlas';
  return null;
}

function make(kind: BlasKind, library: string | null, evidence: string): PeerBlas {
  return { kind, label: LABELS[kind], optimised: kind === 'unknown' ? null : kind !== 'reference', library, evidence };
}

/** Decides which BLAS the peer ran on: the library holding sgemm_, else torch's BLAS_INFO, else the one BLAS mapped. */
export function classifyPeerBlas(probe: BlasProbe): PeerBlas {
  const mappings = parseMaps(probe.maps);
  const holder = libraryAt(mappings, probe.sgemm);
  if (holder) {
    const kind = blasKindOfPath(holder) ?? kindOfBlasInfo(probe.blasInfo);
    if (kind) return make(kind, holder, `sgemm_ resolves into ${holder}`);
  }
  const fromInfo = kindOfBlasInfo(probe.blasInfo);
  if (fromInfo) return make(fromInfo, holder, `torch build setting BLAS_INFO=${probe.blasInfo}`);
  const kinds = new Set(mappings.map((m) => blasKindOfPath(m.path)).filter((k): k is BlasKind => k !== null));
  if (kinds.size === 1) {
    const [kind] = kinds;
    return make(kind, mappings.find((m) => blasKindOfPath(m.path) === kind)!.path, `the only BLAS mapped (sgemm_ not located)`);
  }
  const why =
    kinds.size === 0 ? 'no BLAS library mapped and BLAS_INFO does not name one' : `several BLASes mapped (${[...kinds].join(', ')}) and sgemm_ not located`;
  return make('unknown', null, why);
}

/** The libraries named in the probe's maps lines, each once (for details). */
export function mappedLibraries(probe: BlasProbe): string[] {
  return [...new Set(parseMaps(probe.maps).map((m) => m.path))];
}

/** The peer text of a row: "PyTorch CPU 1 thread, <the BLAS it ran on>". */
export function peerText(blas: PeerBlas | null): string {
  return `PyTorch CPU 1 thread, ${blas ? blas.label : 'BLAS not reported'}`;
}

/**
 * Whether a row against this peer may be judged, and the note when not: a goal stated against an
 * optimised BLAS says nothing when the peer ran on the reference one (or on one it cannot name).
 */
export function peerJudgeable(blas: PeerBlas | null): { judge: boolean; note?: string } {
  if (blas?.optimised) return { judge: true };
  if (blas?.kind === 'reference')
    return {
      judge: false,
      note: `peer ran on the reference BLAS (${blas.library ?? 'libblas.so.3'}), not an optimised one: install libopenblas0-pthread; met not judged`,
    };
  return { judge: false, note: `could not tell which BLAS the peer ran on (${blas ? blas.evidence : 'no report'}); met not judged` };
}

/** A row against the peer with its peer text naming the BLAS, and `met` null (with the note) unless the BLAS is optimised. */
export function judgedAgainstPeer<R extends { peer: string; met: boolean | null; note?: string }>(row: R, blas: PeerBlas | null, peerSuffix = ''): R {
  const verdict = peerJudgeable(blas);
  const out = { ...row, peer: peerText(blas) + peerSuffix };
  if (verdict.judge) return out;
  return { ...out, met: null, note: row.note ? `${verdict.note}; ${row.note}` : verdict.note };
}
