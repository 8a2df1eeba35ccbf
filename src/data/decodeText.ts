// Bytes → text for dataset files: strict UTF-8 (a wrong encoding must not silently become U+FFFD
// in reference answers), a BOM dropped, and the first bad byte reported by offset and line.
import { DatasetError } from './datasetSchema';

export interface DecodedText {
  text: string;
  hadBom: boolean;
}

/** Offset of the first byte that breaks UTF-8, or -1 when the bytes are valid. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid too.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
  return line;
}

export function decodeUtf8(bytes: Uint8Array, datasetName: string): DecodedText {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    const hadBom = text.charCodeAt(0) === 0xfeff;
    return { text: hadBom ? text.slice(1) : text, hadBom };
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const at =
      offset >= 0 ? `byte offset ${offset} (line ${lineOfByte(bytes, offset)}, byte 0x${bytes[offset].toString(16).padStart(2, '0')})` : 'an unknown position';
    throw new DatasetError(datasetName, [
      { message: `the file is not valid UTF-8: first bad byte at ${at}. Re-save it as UTF-8 (e.g. from Latin-1 or Windows-1252).` },
    ]);
  }
}
