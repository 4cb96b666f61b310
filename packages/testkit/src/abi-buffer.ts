/** A field of a frame struct: where it starts and how many bytes it takes (the agent's collector/abi.ts). */
export interface AbiField {
  offset: number;
  size: number;
}

/**
 * Writes `value` into `field` of the struct that starts at `base` in `b`, little-endian, by the
 * field's size: numbers and bigints as integers (signed when negative), bytes and text copied
 * in (at most the field's size). Tests build frames with it from the decoder's own layout table
 * (collector/abi.ts), which abi-layout.test.ts holds to tcprt.h.
 */
export function writeField(
  b: Buffer,
  field: AbiField,
  value: number | bigint | Uint8Array | string,
  base = 0,
): void {
  const at = base + field.offset;
  if (typeof value === 'string') {
    b.write(value, at, field.size, 'utf8');
    return;
  }
  if (value instanceof Uint8Array) {
    if (value.length > field.size)
      throw new Error(`${value.length} bytes do not fit a ${field.size}-byte field`);
    b.set(value, at);
    return;
  }
  const signed = value < 0;
  switch (field.size) {
    case 1:
      if (signed) b.writeInt8(Number(value), at);
      else b.writeUInt8(Number(value), at);
      return;
    case 2:
      if (signed) b.writeInt16LE(Number(value), at);
      else b.writeUInt16LE(Number(value), at);
      return;
    case 4:
      if (signed) b.writeInt32LE(Number(value), at);
      else b.writeUInt32LE(Number(value), at);
      return;
    case 8:
      if (signed) b.writeBigInt64LE(BigInt(value), at);
      else b.writeBigUInt64LE(BigInt(value), at);
      return;
    default:
      throw new Error(`a number does not fit a ${field.size}-byte field`);
  }
}
