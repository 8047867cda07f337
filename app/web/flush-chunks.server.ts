import { Transform, type TransformCallback } from "node:stream";

/** React's server renderer writes through a view of this many bytes (VIEW_SIZE in react-dom-server.node). */
const REACT_VIEW_SIZE = 2048;

/**
 * React 18.3's writeStringChunk sends its whole 2 KB view when the next character does not fit in
 * what is left of it — the unfilled 1–3 bytes included, as zeros: pages with enough Chinese text had
 * NUL bytes at 2 KB boundaries (invalid in HTML, and shown as boxes). React 19 sends
 * `subarray(0, writtenBytes)`; until Remix moves to it, such a view is cut back to what was written.
 * A UTF-8 character is at most 4 bytes, so at most 3 are unfilled; real content never holds NUL (the
 * form parser refuses control characters).
 */
export function withoutUnfilledTail(chunk: Buffer): Buffer {
  if (chunk.length !== REACT_VIEW_SIZE || chunk[chunk.length - 1] !== 0) return chunk;
  let end = chunk.length;
  while (end > chunk.length - 3 && chunk[end - 1] === 0) end--;
  return chunk.subarray(0, end);
}

/**
 * The stream React renders into: it gathers what React writes between two of its flushes (React calls
 * `destination.flush()` when it has nothing more to send for now) and passes it on as ONE chunk.
 * React writes in 2 KB pieces, and Remix's adapter flushes the compression stream after every chunk it
 * is given: a 100 KB thread page was ~50 gzip sync-flushes and socket writes (4 ms of CPU a page on
 * the benchmark machine). Streaming is kept: a later flush (deferred data) still goes out at once.
 */
export class ReactFlushChunks extends Transform {
  private pending: Buffer[] = [];
  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.pending.push(withoutUnfilledTail(chunk));
    callback();
  }
  flush() {
    if (this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.push(chunk);
  }
  _flush(callback: TransformCallback) {
    this.flush();
    callback();
  }
}
