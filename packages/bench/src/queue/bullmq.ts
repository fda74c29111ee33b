import type { ConnectionOptions } from 'bullmq';
import type { QueueAddress } from './queue-url.js';

/**
 * BullMQ (and its Redis client) is loaded only when a queue is used, so a local bench never
 * loads it.
 */
export async function loadBullmq(): Promise<typeof import('bullmq')> {
  return import('bullmq');
}

/** Connection options for BullMQ's Redis client (ioredis). */
export function connectionOptions(address: QueueAddress): ConnectionOptions {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    ...(address.username === undefined ? {} : { username: address.username }),
    ...(address.password === undefined ? {} : { password: address.password }),
    ...(address.tls ? { tls: { servername: address.host } } : {}),
    // Workers and the coordinator wait out a Redis restart instead of failing their commands.
    maxRetriesPerRequest: null,
  };
}
