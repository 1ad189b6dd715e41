/**
 * NumPy `.npz` files (`np.savez`): a zip archive of `.npy` files, one per array, named by the
 * keyword given to savez (`x_train.npy`). Only the directory is parsed here; a member stored
 * without compression (savez's default) is a `.npy` file at an offset, read by the `.npy` reader.
 * `np.savez_compressed` deflates its members: such a member is inflated whole, up to
 * MAX_INFLATED_BYTES (larger ones are said so, by name).
 */
import { inflateRawSync } from 'node:zlib';

/** The largest member of a compressed archive inflated (a deflate stream cannot be read from the middle). */
export const MAX_INFLATED_BYTES = 512 * 1024 * 1024;

export interface NpzMember {
  /** The array's name: the entry's file name without `.npy`. */
  name: string;
  /** 0: stored; 8: deflated (savez_compressed). */
  method: number;
  /** The `.npy` file's bytes. */
  size: number;
  /** The bytes the archive holds of it (`size` when stored). */
  compressedSize: number;
  /** Offset of the entry's local header in the archive. */
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_EOCD_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

/** Bytes at the end of an archive that hold its end record (the record and the longest comment). */
export const NPZ_TAIL_BYTES = 22 + 65535 + 20;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64(v: DataView, at: number): number {
  return Number(v.getBigUint64(at, true));
}

/**
 * Where the central directory lies, from the archive's last bytes (`tail`, starting at
 * `tailOffset` of an archive of `size` bytes): its offset and length, or why it cannot be read.
 */
export function npzDirectoryRange(tail: Uint8Array, tailOffset: number): { offset: number; length: number } | string {
  const v = view(tail);
  for (let at = tail.length - 22; at >= 0; at--) {
    if (v.getUint32(at, true) !== EOCD) continue;
    let offset = v.getUint32(at + 16, true);
    let length = v.getUint32(at + 12, true);
    // Zip64 (numpy writes its members with force_zip64): the locator just before gives the zip64 end record.
    if ((offset === MAX32 || length === MAX32) && at >= 20 && v.getUint32(at - 20, true) === ZIP64_EOCD_LOCATOR) {
      const record = u64(v, at - 20 + 8) - tailOffset;
      if (record < 0 || record + 56 > tail.length || v.getUint32(record, true) !== ZIP64_EOCD) return 'a zip64 archive whose end record is out of reach';
      length = u64(v, record + 40);
      offset = u64(v, record + 48);
    }
    return { offset, length };
  }
  return 'not a zip archive (no end record): not an .npz file';
}

/** The members of an archive from its central directory's bytes. */
export function npzMembers(directory: Uint8Array): NpzMember[] {
  const v = view(directory);
  const out: NpzMember[] = [];
  let at = 0;
  while (at + 46 <= directory.length && v.getUint32(at, true) === CENTRAL) {
    const method = v.getUint16(at + 10, true);
    let size = v.getUint32(at + 24, true);
    let compressed = v.getUint32(at + 20, true);
    let localOffset = v.getUint32(at + 42, true);
    const nameLength = v.getUint16(at + 28, true);
    const extraLength = v.getUint16(at + 30, true);
    const commentLength = v.getUint16(at + 32, true);
    const name = new TextDecoder().decode(directory.subarray(at + 46, at + 46 + nameLength));
    // The zip64 extra field holds, in order, the sizes and the offset that are 0xFFFFFFFF above.
    for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = v.getUint16(e, true);
      const length = v.getUint16(e + 2, true);
      if (id === 0x0001) {
        let p = e + 4;
        if (size === MAX32) [size, p] = [u64(v, p), p + 8];
        if (compressed === MAX32) [compressed, p] = [u64(v, p), p + 8];
        if (localOffset === MAX32) localOffset = u64(v, p);
      }
      e += 4 + length;
    }
    if (name.endsWith('.npy')) out.push({ name: name.slice(0, -4), method, size, compressedSize: compressed, localOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

/** The offset of a member's data, from the first 30 bytes of its local header (and the lengths there). */
export function npzDataOffset(member: NpzMember, localHeader: Uint8Array): number | string {
  const v = view(localHeader);
  if (localHeader.length < 30 || v.getUint32(0, true) !== LOCAL) return `the entry of ${member.name} is damaged`;
  return member.localOffset + 30 + v.getUint16(26, true) + v.getUint16(28, true);
}

/** The member `name` of an archive's members when it can be read, or the sentence that says why not. */
export function npzMember(path: string, members: readonly NpzMember[], name: string): NpzMember | string {
  const member = members.find((m) => m.name === name);
  if (!member) return `${path} holds no array '${name}' (it holds ${members.map((m) => `'${m.name}'`).join(', ') || 'none'})`;
  if (member.method !== 0 && member.method !== 8) return `${path} is compressed with a method other than deflate (zip method ${member.method}), which nanguard does not read`;
  if (member.method === 8 && member.size > MAX_INFLATED_BYTES) return `${path} is compressed (np.savez_compressed) and its array '${name}' is ${Math.round(member.size / 1048576)} MB, over the ${MAX_INFLATED_BYTES / 1048576} MB nanguard inflates`;
  return member;
}

/** A member's `.npy` bytes from the bytes the archive holds of it (inflated when deflated), or why they cannot be read. */
export function npzMemberData(member: NpzMember, held: Uint8Array, path: string): Uint8Array | string {
  if (member.method === 0) return held.subarray(0, member.size);
  try {
    const inflated = inflateRawSync(held, { maxOutputLength: member.size });
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch {
    return `${path}: the array '${member.name}' could not be inflated (a damaged archive?)`;
  }
}

/** A member's `.npy` bytes from the whole archive, or why they cannot be read (the reproduction's reader). */
export function npzMemberBytes(archive: Uint8Array, path: string, name: string): Uint8Array | string {
  const range = npzDirectoryRange(archive.subarray(Math.max(0, archive.length - NPZ_TAIL_BYTES)), Math.max(0, archive.length - NPZ_TAIL_BYTES));
  if (typeof range === 'string') return range;
  const member = npzMember(path, npzMembers(archive.subarray(range.offset, range.offset + range.length)), name);
  if (typeof member === 'string') return member;
  const start = npzDataOffset(member, archive.subarray(member.localOffset, member.localOffset + 30));
  if (typeof start === 'string') return start;
  return npzMemberData(member, archive.subarray(start, start + member.compressedSize), path);
}
