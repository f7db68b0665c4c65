import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { OtlpDecodeError } from './decode-error.js';

const gunzipAsync = promisify(gunzip);

/** The body, as sent or once inflated, is over the receiver's size limit (413). */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** The client went away before the whole body arrived; there is no one to answer. */
export class ClientAbortedError extends Error {
  override name = 'ClientAbortedError';
}

/**
 * The request's body, at most `maxBytes`. A Content-Length over the limit is
 * refused before reading; a body that grows past it stops being buffered at
 * once (the rest is drained and dropped, so the connection can still answer).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) {
    return Promise.reject(
      new BodyTooLargeError(`body of ${declared} bytes is over the limit of ${maxBytes} bytes`),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(`body is over the limit of ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', (error) => reject(new ClientAbortedError(`client aborted: ${error.message}`)));
    req.on('close', () => {
      if (!req.complete) reject(new ClientAbortedError('client closed the connection mid-body'));
    });
  });
}

/**
 * The body inflated per its Content-Encoding (`gzip`, or none). zlib stops
 * as soon as the output passes `maxBytes`, so a gzip bomb costs at most that
 * much memory and time, never its full inflated size.
 */
export async function inflateBody(
  body: Buffer,
  encoding: 'gzip' | 'identity',
  maxBytes: number,
): Promise<Buffer> {
  if (encoding === 'identity') return body;
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new BodyTooLargeError(`gzip body inflates to over the limit of ${maxBytes} bytes`);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError(`gzip body does not inflate: ${reason}`);
  }
}
