// A queue of received chunks that hands out exact byte counts, so a frame split over many TCP
// reads is copied once when it is complete rather than re-concatenated on every read.

export class ByteQueue {
  #chunks: Uint8Array[] = [];
  /** Index of the first unconsumed chunk; consumed chunks are dropped in batches, not one shift at a time. */
  #first = 0;
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** Copies the chunk, so the caller may reuse its buffer (Node reuses some). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(new Uint8Array(chunk));
    this.#length += chunk.length;
  }

  /** The first `n` bytes (fewer if fewer are queued), without removing them. */
  peek(n: number): Uint8Array {
    return this.#copy(Math.min(n, this.#length), false);
  }

  /** Remove and return the first `n` bytes (fewer if fewer are queued). */
  take(n: number): Uint8Array {
    return this.#copy(Math.min(n, this.#length), true);
  }

  clear(): void {
    this.#chunks = [];
    this.#first = 0;
    this.#head = 0;
    this.#length = 0;
  }

  #copy(n: number, consume: boolean): Uint8Array {
    const first = this.#chunks[this.#first];
    if (first && first.length - this.#head >= n) {
      const view = first.subarray(this.#head, this.#head + n);
      if (consume) this.#advance(n);
      return view;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    let head = this.#head;
    for (let i = this.#first; i < this.#chunks.length && filled < n; i++) {
      const chunk = this.#chunks[i]!;
      const part = chunk.subarray(head, head + (n - filled));
      out.set(part, filled);
      filled += part.length;
      head = 0;
    }
    if (consume) this.#advance(n);
    return out;
  }

  #advance(n: number): void {
    this.#length -= n;
    while (n > 0) {
      const first = this.#chunks[this.#first]!;
      const left = first.length - this.#head;
      if (n < left) {
        this.#head += n;
        break;
      }
      n -= left;
      this.#first++;
      this.#head = 0;
    }
    if (this.#first > 64 && this.#first * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#first);
      this.#first = 0;
    }
  }
}
