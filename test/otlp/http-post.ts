import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** POSTs (or `method`s) `body` to the receiver on 127.0.0.1:`port` and collects the answer. */
export function post(
  port: number,
  path: string,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const JSON_TYPE = { 'Content-Type': 'application/json' };
export const PROTOBUF_TYPE = { 'Content-Type': 'application/x-protobuf' };
