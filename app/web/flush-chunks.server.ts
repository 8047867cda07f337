import { Transform, type TransformCallback } from "node:stream";

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
    this.pending.push(chunk);
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
