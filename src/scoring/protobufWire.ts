// The protobuf wire format, just enough to read and rewrite ONNX files without a protobuf
// library: a message is a flat list of fields (tag = field number and wire type, then a value).
// Editing keeps every field it does not touch as the original bytes, so large initializers are
// copied as slices and never decoded.

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/** One field of a message: where it lies in the buffer (tag included) and where its value lies. */
export interface WireField {
  readonly field: number;
  readonly wireType: number;
  /** Start of the tag. */
  readonly start: number;
  /** End of the whole field. */
  readonly end: number;
  /** Start of the value (after the length prefix for length-delimited fields). */
  readonly valueStart: number;
  /** For varints: the decoded value (exact up to 2^53). */
  readonly varint?: number;
}

/** Reads a varint at `pos`; returns its value (as a double, exact below 2^53) and the next position. */
export function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new Error('protobuf: truncated varint; the ONNX file is incomplete or not an ONNX model');
    const byte = buf[pos++];
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return [value, pos];
    scale *= 128;
  }
  throw new Error('protobuf: varint longer than 10 bytes; the file is not a protobuf message');
}

/** Lists the fields of the message in buf[start, end). */
export function readFields(buf: Uint8Array, start = 0, end = buf.length): WireField[] {
  const fields: WireField[] = [];
  let pos = start;
  while (pos < end) {
    const fieldStart = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    pos = afterTag;
    let valueStart = pos;
    let varint: number | undefined;
    switch (wireType) {
      case WIRE_VARINT:
        [varint, pos] = readVarint(buf, pos);
        break;
      case WIRE_FIXED64:
        pos += 8;
        break;
      case WIRE_LENGTH_DELIMITED: {
        const [length, afterLength] = readVarint(buf, pos);
        valueStart = afterLength;
        pos = afterLength + length;
        break;
      }
      case WIRE_FIXED32:
        pos += 4;
        break;
      default:
        throw new Error(`protobuf: unsupported wire type ${wireType} at byte ${fieldStart}; the file is not an ONNX model`);
    }
    if (pos > end) throw new Error(`protobuf: field ${field} runs past the end of its message; the file is truncated`);
    fields.push({ field, wireType, start: fieldStart, end: pos, valueStart, varint });
  }
  return fields;
}

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

export function fieldString(buf: Uint8Array, f: WireField): string {
  return utf8Decoder.decode(buf.subarray(f.valueStart, f.end));
}

export function encodeVarint(value: number): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  while (v >= 128) {
    bytes.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Uint8Array.from(bytes);
}

/** A length-delimited field holding `payload`. */
export function encodeBytesField(field: number, payload: Uint8Array): Uint8Array {
  const tag = encodeVarint(field * 8 + WIRE_LENGTH_DELIMITED);
  const length = encodeVarint(payload.length);
  const out = new Uint8Array(tag.length + length.length + payload.length);
  out.set(tag, 0);
  out.set(length, tag.length);
  out.set(payload, tag.length + length.length);
  return out;
}

export function encodeStringField(field: number, value: string): Uint8Array {
  return encodeBytesField(field, utf8Encoder.encode(value));
}

export function encodeVarintField(field: number, value: number): Uint8Array {
  const tag = encodeVarint(field * 8 + WIRE_VARINT);
  const v = encodeVarint(value);
  const out = new Uint8Array(tag.length + v.length);
  out.set(tag, 0);
  out.set(v, tag.length);
  return out;
}

/** Concatenates byte chunks into one buffer (one allocation, sized up front). */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
