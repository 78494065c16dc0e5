// A port the OS says is free now. Asked on 0.0.0.0, as DynamoDB Local's jar binds it, so the answer
// holds for the jar and for the runtime's 127.0.0.1 listeners alike.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
