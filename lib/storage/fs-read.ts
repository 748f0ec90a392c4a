// GetObject of the fs backend on plain file descriptors (the callback API costs about half of
// FileHandle's per call, and GET is the hottest path): one open, one read that brings the
// header and, for a small object, all of its data (having reached the file's end, its size too:
// no fstat then), then either the bytes in memory (the descriptor closed at once) or a stream
// from the same descriptor, which pins this version even if it is replaced.
import fs from "node:fs";
import { Readable } from "node:stream";
import { closeNow, fstat, open } from "./fs-fd";
import { OPEN_READ, infoOf, readHeaderFd } from "./fs-format";
import { type FsContext, checkRange, noSuchKey, whenMissing } from "./fs-objects";
import { objectPath } from "./fs-paths";
import type { ByteRange, GetResult } from "./types";

/** 256 KiB reads: a quarter of the syscalls and stream callbacks of the 64 KiB default on large objects. */
const STREAM_CHUNK = 256 * 1024;

export async function getObject(ctx: FsContext, bucket: string, key: string, range?: ByteRange): Promise<GetResult> {
  await ctx.ready;
  const { path } = objectPath(ctx.layout, bucket, key);
  let fd: number;
  try {
    fd = await open(path, "r");
  } catch (err) {
    return whenMissing(ctx, bucket, err, noSuchKey);
  }
  let streaming = false;
  try {
    const { header, head } = await readHeaderFd(fd, OPEN_READ);
    // A read of a regular file returns less than asked only at its end: then the file's size is
    // known without an fstat (the usual small object).
    const size = head.length < OPEN_READ ? head.length : (await fstat(fd)).size;
    if (size !== header.dataOffset + header.size) throw new Error(`object file ${path} is damaged`);
    if (range) checkRange(range, header.size);
    const info = infoOf(header);
    const start = header.dataOffset + (range ? range.start : 0);
    const end = header.dataOffset + (range ? range.end + 1 : header.size); // exclusive
    if (end <= head.length) {
      const data = head.subarray(start, end);
      let body: Readable | undefined;
      // The stream is only built for callers that want one; the gateway sends `data` as is.
      return { info, data, get body() { return (body ??= Readable.from([data])); } };
    }
    streaming = true;
    return { info, body: fs.createReadStream(path, { fd, start, end: end - 1, highWaterMark: STREAM_CHUNK, autoClose: true }) };
  } finally {
    if (!streaming) closeNow(fd); // the bytes are in hand
  }
}
